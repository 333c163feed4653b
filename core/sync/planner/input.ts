// Check the input records: the record contract (core/record) per record, then the run-wide rules - a key that
// appears twice rejects all its records (never "first wins"), and so does an active userName used twice.
import { DEFAULT_RECORD_LIMITS, invalidRecordKey, parseRecordOrProblems, type ParsedUserRecord, type ProfilePathCache } from '../../record';
import { addIssue, decision, type Decision, type PlanContext } from './decision';
import { lower, show } from './text';
import type { DirectoryIndex } from './directory';
import type { ScimUser } from '../../types';

export interface CheckedInput {
	valid: ParsedUserRecord[];
	/** The managed Plek user holding each valid record's key (same index as `valid`; undefined: not in Plek). */
	found: Array<ScimUser | undefined>;
	/** Every key seen in the input, valid or not. */
	presentKeys: { has(key: string): boolean };
	/** One decision per rejected record. */
	rejected: Decision[];
	/** Whether a valid record names a manager (most runs map none: then managers are not planned at all). */
	withManager: boolean;
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

/** Keys of the input: managed ones counted on their directory entry, the others (new people) in a small set. */
class InputKeys {
	readonly others = new Set<string>();
	readonly otherRepeats = new Map<string, number>();
	// Stryker disable next-line BooleanLiteral: a shortcut only - starting true just runs the repeat scan, which keeps every unique key (equivalent mutant)
	anyRepeat = false;
	constructor(private readonly dir: DirectoryIndex) {}

	/** Counts the key; returns the managed user holding it (the one lookup matching needs). */
	add(key: string): ScimUser | undefined {
		const position = this.dir.byExternalId.get(key);
		if (position !== undefined) {
			// Stryker disable next-line EqualityOperator: anyRepeat only skips the repeat scan; set too often, the scan keeps every unique key (equivalent mutant)
			if (++this.dir.inInput[position] > 1) this.anyRepeat = true;
			return this.dir.listed[position];
		}
		const size = this.others.size;
		this.others.add(key); // one hash operation: the size tells whether it was new
		if (this.others.size === size) {
			this.otherRepeats.set(key, (this.otherRepeats.get(key) ?? 1) + 1);
			this.anyRepeat = true;
		}
		return undefined;
	}

	count(key: string): number {
		const position = this.dir.byExternalId.get(key);
		return position !== undefined ? this.dir.inInput[position] : (this.otherRepeats.get(key) ?? 1);
	}

	has(key: string): boolean {
		const position = this.dir.byExternalId.get(key);
		return (position !== undefined && this.dir.inInput[position] > 0) || this.others.has(key);
	}
}

/**
 * The userName an active record would write: when it only keeps its own Plek account's userName (found by key,
 * equal ignoring case) it writes nothing, and any other record claiming that name meets the account as its holder
 * (a userName-in-use conflict). Only the others need the input-wide duplicate check - no set of every userName.
 */
function userNameWritten(rec: ParsedUserRecord, found: ScimUser | undefined): string | undefined {
	if (!rec.active || !rec.userName) return undefined;
	const own = found?.userName;
	if (typeof own === 'string' && (own === rec.userName || lower(own) === lower(rec.userName))) return undefined;
	return lower(rec.userName);
}

function countRepeats(records: readonly ParsedUserRecord[], found: ReadonlyArray<ScimUser | undefined>): Map<string, number> {
	const seen = new Set<string>();
	const counts = new Map<string, number>();
	for (let i = 0; i < records.length; i++) {
		const name = userNameWritten(records[i], found[i]);
		if (name === undefined) continue;
		const size = seen.size;
		seen.add(name);
		if (seen.size === size) counts.set(name, (counts.get(name) ?? 1) + 1);
	}
	return counts;
}

/** Keeps the records (and their Plek users) for which `keep` is true. */
function keepWhere(input: CheckedInput, keep: (rec: ParsedUserRecord, found: ScimUser | undefined) => boolean): void {
	const valid: ParsedUserRecord[] = [];
	const found: Array<ScimUser | undefined> = [];
	input.valid.forEach((rec, i) => {
		if (!keep(rec, input.found[i])) return;
		valid.push(rec);
		found.push(input.found[i]);
	});
	input.valid = valid;
	input.found = found;
}

export function checkInput(desired: readonly unknown[], dir: DirectoryIndex, ctx: Explain): CheckedInput {
	const records = Array.isArray(desired) ? desired : [];
	const cache: ProfilePathCache = new Map();
	const parseOptions = { cache, index: 0 }; // one options object for the run, not one per record
	const keys = new InputKeys(dir);
	// Lists of the input's length, cut to what was kept: no copies while they grow (7 MB less garbage at 100k).
	const input: CheckedInput = { valid: new Array(records.length), found: new Array(records.length), presentKeys: keys, rejected: [], withManager: false };
	let kept = 0;
	const problems: string[] = []; // one list for the run: emptied after each invalid record
	for (let index = 0; index < records.length; index++) {
		parseOptions.index = index;
		const raw = records[index];
		const record = parseRecordOrProblems(raw, DEFAULT_RECORD_LIMITS, parseOptions, problems);
		const key = record ? record.key : invalidRecordKey(raw); // an invalid record's key still counts as present
		const user = key !== undefined && key !== '' ? keys.add(key) : undefined;
		if (record) {
			input.valid[kept] = record;
			input.found[kept++] = user;
			if (record.manager !== undefined) input.withManager = true;
		} else {
			input.rejected.push(invalid(ctx, index, key, problems));
			problems.length = 0;
		}
	}
	input.valid.length = kept;
	input.found.length = kept;
	// Stryker disable next-line ConditionalExpression: a shortcut only - the scan keeps every record whose key is unique (equivalent mutant)
	if (keys.anyRepeat) {
		keepWhere(input, (rec) => {
			const count = keys.count(rec.key);
			if (count > 1) input.rejected.push(duplicateKey(ctx, rec, count));
			return count <= 1;
		});
	}
	const userNames = countRepeats(input.valid, input.found);
	// Stryker disable next-line ConditionalExpression,EqualityOperator: a shortcut only - without repeated names the scan keeps every record (equivalent mutant)
	if (userNames.size > 0) {
		keepWhere(input, (rec, found) => {
			const name = userNameWritten(rec, found);
			const count = name === undefined ? 1 : (userNames.get(name) ?? 1);
			if (count > 1) input.rejected.push(duplicateUserName(ctx, rec, count));
			return count <= 1;
		});
	}
	return input;
}
