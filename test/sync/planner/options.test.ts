// resolveSyncOptions: what is given is used; anything wrongly typed falls back to the default.
import { resolveSyncOptions } from '../../../core/sync/planner';
import { DEFAULT_SYNC_OPTIONS, type SyncOptions } from '../../../core/sync/types';

const flags = ['create', 'update', 'deactivate', 'reactivate', 'groups', 'deactivateMissing', 'clearEmptyValues', 'removeFromRuleGroups', 'createMissingGroups'] as const;
const numbers = ['maxDeactivations', 'maxDeactivationPercent', 'minSourceRatio'] as const;

describe('resolveSyncOptions', () => {
	test.each(flags)('%s: true and false are used as given; other values fall back to the default', (name) => {
		expect(resolveSyncOptions({ [name]: true })[name]).toBe(true);
		expect(resolveSyncOptions({ [name]: false })[name]).toBe(false);
		expect(resolveSyncOptions({ [name]: 'yes' } as unknown as SyncOptions)[name]).toBe(DEFAULT_SYNC_OPTIONS[name]);
		expect(resolveSyncOptions({ [name]: 1 } as unknown as SyncOptions)[name]).toBe(DEFAULT_SYNC_OPTIONS[name]);
	});

	test.each(numbers)('%s: numbers are used (0 and negatives too); NaN and text fall back', (name) => {
		expect(resolveSyncOptions({ [name]: 0 })[name]).toBe(0);
		expect(resolveSyncOptions({ [name]: -1 })[name]).toBe(-1);
		expect(resolveSyncOptions({ [name]: 7 })[name]).toBe(7);
		expect(resolveSyncOptions({ [name]: Number.NaN })[name]).toBe(DEFAULT_SYNC_OPTIONS[name]);
		expect(resolveSyncOptions({ [name]: '7' } as unknown as SyncOptions)[name]).toBe(DEFAULT_SYNC_OPTIONS[name]);
	});

	test.each(['off', 'userName', 'email', 'userNameOrEmail'] as const)('adoptUnmanaged %s is used', (mode) => {
		expect(resolveSyncOptions({ adoptUnmanaged: mode }).adoptUnmanaged).toBe(mode);
	});

	test('an unknown adoption mode falls back to off', () => {
		expect(resolveSyncOptions({ adoptUnmanaged: 'always' } as unknown as SyncOptions).adoptUnmanaged).toBe('off');
	});

	test('managedGroups: only non-blank names; not a list -> none', () => {
		expect(resolveSyncOptions({ managedGroups: ['Care', ' ', '', 7, 'All'] as unknown as string[] }).managedGroups).toEqual(['Care', 'All']);
		expect(resolveSyncOptions({ managedGroups: 'Care' as unknown as string[] }).managedGroups).toEqual([]);
	});

	test('explainKey: text only', () => {
		expect(resolveSyncOptions({ explainKey: 'k1' }).explainKey).toBe('k1');
		expect(resolveSyncOptions({ explainKey: 5 } as unknown as SyncOptions).explainKey).toBeUndefined();
	});
});
