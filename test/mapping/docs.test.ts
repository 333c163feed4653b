// Every example in docs/mapper-helpers.md is evaluated, so the documentation cannot drift from the helpers.
import { readFileSync } from 'fs';
import { join } from 'path';

import { evaluateExpression } from '../../core/mapping';
import { NOW } from './fixtures';

const doc = readFileSync(join(__dirname, '../../docs/mapper-helpers.md'), 'utf8');
const examples = [...doc.matchAll(/^\| `(\$.+)` \| `(.+)` \|$/gm)].map((m) => [m[1], m[2]] as const);

describe('docs/mapper-helpers.md examples', () => {
	it('has examples for every helper', () => {
		const used = new Set(examples.map(([expression]) => /^\$(\w+)/.exec(expression)![1]));
		for (const helper of [
			'adGuid', 'fileTimeToIso', 'generalizedTimeToIso', 'adDisabled', 'adExpired', 'adActive', 'leaveDatePassed',
			'toIsoDate', 'startDate', 'daysUntil', 'normalizeEmail', 'nameCase', 'dutchName', 'initials', 'joinNonEmpty', 'ldapFirst', 'toBool', 'dnToCn', 'memberOf',
		]) {
			expect(used).toContain(helper);
		}
	});

	it.each(examples)('%s gives %s', async (expression, expected) => {
		const value = await evaluateExpression(expression, {}, { now: NOW, defaultTimeZone: 'Europe/Amsterdam' });
		expect(value === undefined ? 'undefined' : JSON.stringify(value)).toBe(expected);
	});
});
