// The guards: too many deactivations (a count, a share of the managed active users), or an empty / shrunken
// input with deactivations -> the whole plan is blocked and nothing is written.
import type { BlockedInfo, ResolvedSyncOptions } from '../types';

export interface GuardCounts {
	deactivations: number;
	inactiveInSource: number;
	missingFromSource: number;
	/** Managed users active in Plek (the base of the percentage and the source-size guard). */
	managedActive: number;
	/** Valid input records. */
	inputRecords: number;
}

export function checkGuards(
	o: ResolvedSyncOptions,
	c: GuardCounts,
): BlockedInfo | undefined {
	if (c.deactivations === 0) return undefined;
	const problems: string[] = [];
	const advice: string[] = [];
	if (c.inputRecords === 0) {
		problems.push('the input is empty (an empty source never deactivates anyone)');
		advice.push('check the source node and the Mapper: they produced no valid records');
	} else if (o.minSourceRatio > 0 && c.inputRecords < o.minSourceRatio * c.managedActive) {
		problems.push(
			`the input has only ${c.inputRecords} valid record(s) for ${c.managedActive} managed active Plek users (fewer than ${o.minSourceRatio * 100}%: a shrunken source never deactivates anyone)`,
		);
		advice.push(`if the source really shrank, lower "Min Source Ratio" below ${(c.inputRecords / Math.max(1, c.managedActive)).toFixed(2)}`);
	}
	if (o.maxDeactivations >= 0 && c.deactivations > o.maxDeactivations) {
		problems.push(`${c.deactivations} deactivations exceed the limit of ${o.maxDeactivations} per run`);
		advice.push(`raise "Max Deactivations" to ${c.deactivations} or more`);
	}
	const percent = c.managedActive > 0 ? (c.deactivations * 100) / c.managedActive : 100;
	if (o.maxDeactivationPercent >= 0 && percent > o.maxDeactivationPercent) {
		problems.push(
			`${c.deactivations} of ${c.managedActive} managed active users is ${percent.toFixed(1)}%, over the limit of ${o.maxDeactivationPercent}%`,
		);
		advice.push(`raise "Max Deactivation Percent" to ${Math.ceil(percent)} or more`);
	}
	if (problems.length === 0) return undefined;
	const reason =
		`Sync blocked, nothing was written: ${c.deactivations} deactivation(s) planned ` +
		`(${c.inactiveInSource} inactive in the source, ${c.missingFromSource} missing from the source), but ${problems.join('; and ')}. ` +
		`If these deactivations are intended: ${advice.join('; ')}. Run with Dry Run to see the full plan.`;
	return {
		reason,
		counts: {
			deactivations: c.deactivations,
			inactiveInSource: c.inactiveInSource,
			missingFromSource: c.missingFromSource,
			managedActive: c.managedActive,
			inputRecords: c.inputRecords,
			maxDeactivations: o.maxDeactivations,
			maxDeactivationPercent: o.maxDeactivationPercent,
			minSourceRatio: o.minSourceRatio,
		},
	};
}

