// The record's own single-valued fields, one row each: the Fields-mode expression that fills it, what an empty
// expression means, and how its value is checked. The engine compiles, evaluates, names failures and builds the
// record from this table alone (Document mode reads the same fields from the object its expression returns), so a
// new record field is one row here. Profile values and group names are lists with rules of their own (engine.ts).
import { leaveDateProblem, startDateProblem } from '../record/rules';
import type { PlekUserRecord } from '../types';
import type { FieldsMappingConfig } from './types';
import { checkActive, checkKey, checkUserName, type Checked } from './validate';

/** A record field a row fills, also the `field` a failure names. */
export type RecordField = 'key' | 'userName' | 'active' | 'startDate' | 'leaveDate' | 'manager';

export interface RecordFieldRow {
	field: RecordField & keyof FieldsMappingConfig & keyof PlekUserRecord;
	/** The expression's name in failures and compile errors (the node maps it to its parameter's label). */
	name: string;
	/** No expression (Fields mode) or no such field (Document mode): refused at compile time (`required`), no
	 * value (`optional`), or this value. An expression that returns nothing is checked as nothing. */
	whenEmpty: 'required' | 'optional' | { value: boolean };
	/** Without an expression for it (or the field in a Document), the first e-mail profile value fills it. */
	fromFirstEmail?: true;
	/** The value as the record holds it, or why it cannot be; `{}` (no value, no reason): the record has none. */
	check: (raw: unknown, maxStringLength: number) => Checked<string | boolean> | NoValue;
}

/** An optional field the record leaves out. */
export type NoValue = { value?: undefined; reason?: undefined };

const NONE: NoValue = Object.freeze({});

const isNothing = (value: unknown) => value === undefined || value === null || value === '';

/** A date field (`YYYY-MM-DD`, the record contract's rule): nothing / null / '' -> none. */
const dateCheck =
	(problem: (value: unknown) => string | undefined) =>
	(raw: unknown): Checked<string> | NoValue => {
		if (isNothing(raw)) return NONE;
		const reason = problem(raw);
		return reason ? { reason } : { value: raw as string };
	};

/** The manager's mapping key, normalised like a key (numbers to text, trimmed); nothing or '' means none. */
function checkManager(raw: unknown, maxStringLength: number): Checked<string> | NoValue {
	if (isNothing(raw)) return NONE;
	const checked = checkKey(raw, maxStringLength);
	return checked.reason === undefined ? checked : { reason: checked.reason.replace(/^mapping key/, "manager (the manager's mapping key)") };
}

/**
 * The rows, in the order the record is checked (its first failure is the record's): the key first, then the profile
 * values, then the other rows, then the group names. Absent optional fields are left out of the record.
 */
export const RECORD_FIELD_ROWS: readonly RecordFieldRow[] = [
	{ field: 'key', name: 'mapping key', whenEmpty: 'required', check: checkKey },
	{ field: 'userName', name: 'user name', whenEmpty: 'optional', fromFirstEmail: true, check: checkUserName },
	{ field: 'active', name: 'active', whenEmpty: { value: true }, check: checkActive },
	{ field: 'manager', name: 'manager', whenEmpty: 'optional', check: checkManager },
	{ field: 'startDate', name: 'start date', whenEmpty: 'optional', check: dateCheck(startDateProblem) },
	{ field: 'leaveDate', name: 'leave date', whenEmpty: 'optional', check: dateCheck(leaveDateProblem) },
];

/** The value a row's field has when there is no expression for it (or no such field in a Document). */
export const valueWhenEmpty = (row: RecordFieldRow): boolean | undefined => (typeof row.whenEmpty === 'object' ? row.whenEmpty.value : undefined);
