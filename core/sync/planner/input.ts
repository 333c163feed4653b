// Check the input records: the record contract (core/record) per record, then the run-wide rules - a key that
// appears twice rejects all its records (never "first wins"), and so does an active userName used twice.
import { DEFAULT_RECORD_LIMITS, parseUserRecord, type ParsedUserRecord, type ProfilePathCache } from '../../record';
import { addIssue, decision, lower, show, type Decision, type PlanContext } from './decision';

export interface CheckedInput {
	valid: ParsedUserRecord[];
	/** Every key seen in the input, valid or not. */
	presentKeys: Set<string>;
	/** One decision per rejected record. */
	rejected: Decision[];
}

type Explain = Pick<PlanContext, 'explainKey'>;

function invalid(ctx: Explain, index: number, key: string | undefined, problems: string[]): Decision {
	const d = decision(ctx as PlanContext, key, 'invalidRecord');
	d.action = 'invalid';
	addIssue(d, {
		type: 'invalid',
		key,
		action: 'input',
		reason: `Record #${index + 1} is invalid: ${problems.join('; ')}.`,
		whatToDo: 'Fix the mapping (Plek Mapper rules) or the source data for this record; it was left out of the sync.',
	});
	d.trace?.push(`Input record #${index + 1}: invalid, left out: ${problems.join('; ')}.`);
	return d;
}

function duplicateKey(ctx: Explain, rec: ParsedUserRecord, count: number): Decision {
	const d = decision(ctx as PlanContext, rec.key, 'duplicateKey', rec);
	d.action = 'invalid';
	addIssue(d, {
		type: 'duplicateKey',
		key: rec.key,
		action: 'input',
		reason: `The mapping key ${JSON.stringify(rec.key)} appears ${count} times in the input (record #${rec.index + 1}); all of them were rejected.`,
		whatToDo: 'Make the mapping key unique per person (e.g. the AD objectGUID or the HR employee id).',
	});
	d.trace?.push(`Input record #${rec.index + 1}: key appears ${count} times in the input; rejected, Plek is not changed for it.`);
	return d;
}

function duplicateUserName(ctx: Explain, rec: ParsedUserRecord, count: number): Decision {
	const d = decision(ctx as PlanContext, rec.key, 'duplicateUserName', rec);
	d.action = 'conflict';
	addIssue(d, {
		type: 'conflict',
		key: rec.key,
		action: 'input',
		reason: `The userName ${JSON.stringify(rec.userName)} is used by ${count} active records in the input; none of them was synced.`,
		whatToDo: 'Give every active person a unique userName in the source or the mapping.',
	});
	d.trace?.push(`userName ${show(rec.userName)} is used by ${count} active input records: rejected.`);
	return d;
}

/** How often each repeated value occurs (values seen once are not in the map: no per-record allocation). */
function repeats<T>(items: readonly T[], valueOf: (item: T) => string | undefined): Map<string, number> {
	const seen = new Set<string>();
	const counts = new Map<string, number>();
	for (const item of items) {
		const value = valueOf(item);
		if (value === undefined) continue;
		const size = seen.size;
		seen.add(value); // one hash operation: the size tells whether it was new
		if (seen.size === size) counts.set(value, (counts.get(value) ?? 1) + 1);
	}
	return counts;
}

const activeUserName = (rec: ParsedUserRecord) => (rec.active && rec.userName ? lower(rec.userName) : undefined);

export function checkInput(desired: readonly unknown[], ctx: Explain): CheckedInput {
	const records = Array.isArray(desired) ? desired : [];
	const cache: ProfilePathCache = new Map();
	const presentKeys = new Set<string>();
	const keyRepeats = new Map<string, number>();
	const rejected: Decision[] = [];
	const parsed: ParsedUserRecord[] = [];
	for (let index = 0; index < records.length; index++) {
		const result = parseUserRecord(records[index], DEFAULT_RECORD_LIMITS, { cache, index });
		const key = result.ok ? result.record.key : result.key;
		if (key !== undefined && key !== '') {
			const size = presentKeys.size;
			presentKeys.add(key);
			if (presentKeys.size === size) keyRepeats.set(key, (keyRepeats.get(key) ?? 1) + 1);
		}
		if (result.ok) parsed.push(result.record);
		else rejected.push(invalid(ctx, index, key, result.problems));
	}
	const unique = keyRepeats.size === 0 ? parsed : parsed.filter((rec) => {
		const count = keyRepeats.get(rec.key) ?? 1;
		if (count > 1) rejected.push(duplicateKey(ctx, rec, count));
		return count <= 1;
	});
	const userNames = repeats(unique, activeUserName);
	const valid = userNames.size === 0 ? unique : unique.filter((rec) => {
		const name = activeUserName(rec);
		const count = name === undefined ? 1 : (userNames.get(name) ?? 1);
		if (count > 1) rejected.push(duplicateUserName(ctx, rec, count));
		return count <= 1;
	});
	return { valid, presentKeys, rejected };
}
