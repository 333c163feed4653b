// Sync options: defaults come from DEFAULT_SYNC_OPTIONS (core/sync/types.ts), the one place they live.
import { mergeProtection, parseProtectedList } from '../../protection';
import { resolveMissingScope } from './scope';
import { DEFAULT_SYNC_OPTIONS, type AdoptMode, type ResolvedSyncOptions, type SyncOptions } from '../types';

/** Fills in defaults; unknown / wrongly typed values fall back to the default. */
export function resolveSyncOptions(options: SyncOptions = {}): ResolvedSyncOptions {
	const d = DEFAULT_SYNC_OPTIONS;
	const bool = (value: unknown, fallback: boolean) => (typeof value === 'boolean' ? value : fallback);
	const num = (value: unknown, fallback: number) =>
		typeof value === 'number' && !Number.isNaN(value) ? value : fallback;
	const adoptModes: AdoptMode[] = ['off', 'userName', 'email', 'userNameOrEmail'];
	return {
		create: bool(options.create, d.create),
		update: bool(options.update, d.update),
		deactivate: bool(options.deactivate, d.deactivate),
		reactivate: bool(options.reactivate, d.reactivate),
		groups: bool(options.groups, d.groups),
		deactivateMissing: bool(options.deactivateMissing, d.deactivateMissing),
		adoptUnmanaged: adoptModes.includes(options.adoptUnmanaged as AdoptMode)
			? (options.adoptUnmanaged as AdoptMode)
			: d.adoptUnmanaged,
		clearEmptyValues: bool(options.clearEmptyValues, d.clearEmptyValues),
		removeFromRuleGroups: bool(options.removeFromRuleGroups, d.removeFromRuleGroups),
		createMissingGroups: bool(options.createMissingGroups, d.createMissingGroups),
		managedGroups: Array.isArray(options.managedGroups)
			? options.managedGroups.filter((g): g is string => typeof g === 'string' && g.trim() !== '')
			: [],
		maxDeactivations: num(options.maxDeactivations, d.maxDeactivations),
		maxDeactivationPercent: num(options.maxDeactivationPercent, d.maxDeactivationPercent),
		minSourceRatio: num(options.minSourceRatio, d.minSourceRatio),
		explainKey: typeof options.explainKey === 'string' ? options.explainKey : undefined,
		missingScope: resolveMissingScope(options.missingScope),
	};
}

/** The life-cycle rules' options (protected accounts, plan approval, ...): resolved beside the core options. */
export interface LifecycleOptions {
	/** userNames, e-mail addresses (both normalised, core/protection.ts), Plek ids or externalIds (exact) the sync never touches. */
	protectedAccounts: string[];
	/** Plek groups whose members the sync never touches (the Sync's Protected Group and the credential's); [] for none. */
	protectedGroups: string[];
	/** The fingerprint of a plan an admin approved: that plan is applied even over a guard, any other is blocked. */
	approvePlan: string;
	/** An input without people is not an error (a delta feed); default false: "the source returned no people". */
	allowEmptySource: boolean;
}

export const DEFAULT_LIFECYCLE_OPTIONS: Readonly<LifecycleOptions> = Object.freeze({
	protectedAccounts: [] as string[],
	protectedGroups: [] as string[],
	approvePlan: '',
	allowEmptySource: false,
});

const text = (value: unknown, fallback: string) => (typeof value === 'string' ? value.trim() : fallback);

export function resolveLifecycleOptions(options: SyncOptions = {}): LifecycleOptions {
	const d = DEFAULT_LIFECYCLE_OPTIONS;
	return {
		protectedAccounts: Array.isArray(options.protectedAccounts)
			? options.protectedAccounts.filter((a): a is string => typeof a === 'string' && a.trim() !== '').map((a) => a.trim())
			: [...d.protectedAccounts],
		protectedGroups: mergeProtection({ accounts: [], groups: [text(options.protectedGroup, ''), ...parseProtectedList(options.protectedGroups)] }).groups.slice(),
		approvePlan: text(options.approvePlan, d.approvePlan),
		allowEmptySource: typeof options.allowEmptySource === 'boolean' ? options.allowEmptySource : d.allowEmptySource,
	};
}
