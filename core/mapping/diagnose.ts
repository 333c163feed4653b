// Run-wide diagnosis of a mapping against its input: columns the rules read that no item has (named with the
// nearest existing column and any invisible character), column names written as quoted text instead of in
// backticks, and whether so many records are invalid that the export itself has changed. Free of n8n.
import { columnsOf, columnsWrittenAsText, findMissingColumns, listColumns, type MissingColumn, showName, stringLiterals, withoutLeadingBom } from './columns';
import { mappingExpressions, type CompiledMapping } from './engine';
import type { MapFailure, MapResult } from './types';

export interface ColumnDiagnosis {
	/** Columns the rules read that no item has, with the expressions that read them. */
	missing: Array<MissingColumn & { readBy: string[] }>;
	/** Quoted text in a rule that is the name of an existing column (`'E-mail werk'` instead of `` `E-mail werk` ``). */
	writtenAsText: Array<{ column: string; readBy: string[] }>;
	/** Every column the rules read, in rule order. */
	expected: string[];
}

/** What the mapping reads that the items lack. Quick when nothing is missing (the usual run). */
export function diagnoseColumns(mapping: CompiledMapping, items: readonly unknown[]): ColumnDiagnosis {
	const expressions = mappingExpressions(mapping);
	const expected = [...new Set(expressions.flatMap((e) => e.columns))];
	const readBy = (column: string, has: (e: (typeof expressions)[number]) => boolean) =>
		expressions.filter(has).map((e) => e.name);
	const missing = findMissingColumns(expected, items).map((m) => ({ ...m, readBy: readBy(m.column, (e) => e.columns.includes(m.column)) }));
	const writtenAsText: ColumnDiagnosis['writtenAsText'] = [];
	for (const e of expressions) {
		for (const column of columnsWrittenAsText(stringLiterals(e.ast), items)) {
			const known = writtenAsText.find((w) => w.column === column);
			if (known) known.readBy.push(e.name);
			else writtenAsText.push({ column, readBy: [e.name] });
		}
	}
	return { missing, writtenAsText, expected };
}

const backtickAdvice = (column: string) =>
	`'${column}' is text here, not the column: a column whose name has spaces or other signs is read in backticks, ${showName(column)}`;

/**
 * The failures' reasons with the column diagnosis added where the failing expression reads a missing column or
 * writes a column's name as text: "mapping key is empty ... column `Medewerker` is in no input item ...".
 */
export function explainFailures<T extends MapResult | undefined>(mapping: CompiledMapping, diagnosis: ColumnDiagnosis, results: readonly T[]): Array<T | MapFailure> {
	if (diagnosis.missing.length === 0 && diagnosis.writtenAsText.length === 0) return [...results];
	const bySource = new Map(mappingExpressions(mapping).map((e) => [e.source, e] as const));
	return results.map((result) => {
		if (!result || result.ok || result.expression === undefined) return result;
		const expression = bySource.get(result.expression);
		if (!expression) return result;
		const notes = [
			...diagnosis.missing.filter((m) => expression.columns.includes(m.column)).map((m) => m.message),
			...diagnosis.writtenAsText.filter((w) => w.readBy.includes(expression.name)).map((w) => backtickAdvice(w.column)),
		];
		return notes.length === 0 ? result : { ...result, reason: `${result.reason}. Note: ${notes.join(' ')}` };
	});
}

/** One line per problem, for the editor's notice beside the output. */
export function columnNotices(diagnosis: ColumnDiagnosis): string[] {
	return [
		...diagnosis.missing.map((m) => `${m.readBy.join(', ')}: ${m.message}`),
		...diagnosis.writtenAsText.map((w) => `${w.readBy.join(', ')}: ${backtickAdvice(w.column)}.`),
	];
}

export interface BomRemoval {
	/** The items, with the byte-order mark removed from the first column name where there was one. */
	items: unknown[];
	/** The cleaned column name and how many items had the mark (0: none). */
	column?: string;
	count: number;
}

/** Removes a UTF-8 byte-order mark from the start of each item's first column name (see withoutLeadingBom). */
export function removeLeadingBom(items: readonly unknown[]): BomRemoval {
	let count = 0;
	let column: string | undefined;
	const cleaned = items.map((item) => {
		if (typeof item !== 'object' || item === null || Array.isArray(item)) return item;
		const clean = withoutLeadingBom(item as Record<string, unknown>);
		if (!clean) return item;
		count++;
		column ??= clean.column;
		return clean.item;
	});
	return { items: cleaned, column, count };
}

export const DEFAULT_MAX_INVALID_PERCENT = 20;

export interface InvalidShare {
	/** The run should fail: every record, or more than the allowed share, is invalid. */
	tooMany: boolean;
	message: string;
	description: string;
}

/**
 * Whether so many records are invalid that the export has changed (renamed columns, another file): all of them,
 * or more than `maxPercent` percent. The message names the columns the rules expect and the ones the items have.
 */
export function invalidShare(
	total: number,
	invalid: number,
	maxPercent: number,
	diagnosis: ColumnDiagnosis,
	items: readonly unknown[],
	firstReason?: string,
): InvalidShare {
	const percent = total === 0 ? 0 : (invalid / total) * 100;
	const tooMany = total > 0 && (invalid === total || percent > maxPercent);
	const share = invalid === total ? `All ${total} records are invalid` : `${invalid} of ${total} records (${Math.round(percent)}%) are invalid, more than the ${maxPercent}% allowed`;
	const missing = diagnosis.missing.map((m) => showName(m.column));
	const message = missing.length > 0 ? `${share}: the input has no column ${missing.join(', ')}` : `${share}: nothing is synced`;
	const description = [
		`The rules read the columns ${listColumns(diagnosis.expected)}; the input items have ${listColumns(columnsOf(items))}.`,
		...columnNotices(diagnosis),
		firstReason ? `First invalid record: ${firstReason}` : '',
		'Has the export changed? Fix the rules (or the export) and run again. Each record and its reason is in the Invalid output when the node is set to continue on error; Options > Max Invalid Share changes the limit.',
	].filter((line) => line !== '');
	return { tooMany, message, description: description.join('\n') };
}
