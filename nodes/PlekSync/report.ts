// What the Sync node says about a run, first thing in the Summary and as n8n execution hints: the decision in one
// line (a dry run is "Dry run: N would change", never "in step" with planned writes), what to do next, and the
// reset hint when the conflicts come from another source having synced the same Plek under other mapping keys.
import type { IDataObject, NodeExecutionHint } from 'n8n-workflow';

import { skippedByReason, type SkippedGroup } from '../../core/sync/history';
import { KEY_CHANGED_REASON } from '../../core/sync/planner/decide';
import { leavingAhead, leavingAheadText } from '../../core/sync/planner/leaving';
import { STEP_KIND_LIST, STEP_KINDS, type ActionCounts, type SyncPlan, type SyncResult } from '../../core/sync/types';

export type SyncMode = 'apply' | 'dryRun' | 'explain' | 'applyOne';

/** Each step kind in words, from the one list of step kinds (core/sync/model.ts). */
const ACTION_WORDS: Array<[keyof ActionCounts, string]> = STEP_KIND_LIST.map((kind) => [kind, STEP_KINDS[kind].words]);

function countsText(counts: ActionCounts): string {
	return ACTION_WORDS.filter(([key]) => counts[key] > 0)
		.map(([key, word]) => `${counts[key]} ${word}`)
		.join(', ');
}

/** People and groups the run would change (dry run / blocked) or changed: the Changes items. */
export function wouldChange(result: SyncResult): number {
	return result.changes.length;
}

/** "skipped 6 (4 leavers not created, 2 pre-hires not yet due)", or '' when nobody was skipped. */
export function skippedText(skipped: readonly SkippedGroup[]): string {
	const total = skipped.reduce((n, group) => n + group.count, 0);
	if (total === 0) return '';
	return `skipped ${total} (${skipped.map((group) => `${group.count} ${group.reason}`).join(', ')})`;
}

/** The run in one line, the first field of the Summary (with why people were skipped, when they were). */
export function decisionLine(mode: SyncMode, result: SyncResult, skipped: readonly SkippedGroup[] = []): string {
	const line = decisionWords(mode, result);
	const why = skippedText(skipped);
	return why === '' || result.summary.blocked || mode === 'explain' ? line : `${line}; ${why}`;
}

function decisionWords(mode: SyncMode, result: SyncResult): string {
	const { summary } = result;
	const n = wouldChange(result);
	const problems = summary.failed + summary.conflicts + summary.invalid;
	const toLookAt = problems > 0 ? `; ${problems} issue(s) to look at on the Issues output` : '';
	if (summary.blocked) return `Blocked by a safety guard, nothing was written: ${summary.blocked}`;
	if (mode === 'explain') return `Explain: the decision for ${result.explainTarget?.key ?? result.explainTarget?.query ?? 'one person'}, nothing was written`;
	if (mode === 'applyOne') {
		const who = result.explainTarget?.key ?? result.explainTarget?.query ?? 'one person';
		if (n === 0 && problems === 0) return `Apply One Person: nothing to write for ${who}`;
		return `Apply One Person ${who}: ${countsText(summary.done) || 'no writes'}${summary.failed > 0 ? `, ${summary.failed} write(s) failed` : ''}${toLookAt}`;
	}
	if (summary.dryRun) {
		if (n === 0) return `Dry run: nothing would change${toLookAt}`;
		return `Dry run: ${n} would change (${countsText(summary.planned)}), nothing was written${toLookAt}`;
	}
	const done = countsText(summary.done);
	if (n === 0 && problems === 0) return 'In step: nothing to change';
	return `Synced: ${done || 'no writes'}${summary.failed > 0 ? `, ${summary.failed} write(s) failed` : ''}${toLookAt}`;
}

/**
 * Most conflicts say "the mapping key changed": the people are managed in Plek under other keys. On one Plek that
 * almost always means another template (another mapping key) synced it first, e.g. the CSV template after the
 * Active Directory one on the `npm start` sandbox.
 */
export function resetHint(result: SyncResult): string | undefined {
	const keyChanged = result.issues.filter((issue) => issue.type === 'conflict' && issue.reason.startsWith(KEY_CHANGED_REASON)).length;
	if (keyChanged < 10 || keyChanged * 2 < result.summary.conflicts) return undefined;
	return (
		`${keyChanged} people are already managed in Plek under other mapping keys: another source or template with a different Mapping Key probably synced this Plek first. ` +
		'On the sandbox of `npm start`, run `npm start -- --reset` to start over with an empty Plek. On a real Plek, sync it from one source (one Mapping Key), or fix the Mapping Key to the one Plek already has.'
	);
}

/**
 * The Summary item: the decision (and in Explain mode the explanation) first, then the counts. A run planned
 * with Today Is says so in its decision line (which every report e-mail quotes) and in `todayIs`.
 */
export function summaryItem(mode: SyncMode, result: SyncResult, query: string | undefined, plan?: Pick<SyncPlan, 'decisions'>, todayIs?: string): IDataObject {
	const whole = mode !== 'explain' && mode !== 'applyOne';
	const skipped = whole ? skippedByReason(plan?.decisions ?? []) : [];
	const leaving = whole ? leavingAhead(plan?.decisions ?? []) : undefined;
	// Who leaves on a date ahead: counted in the decision line (not when blocked), named in `leavingAhead`.
	const leaves = leaving && !result.summary.blocked ? `; ${leaving.count} ${leaving.count === 1 ? 'leaves' : 'leave'} on a date ahead` : '';
	const clock = todayIs ? ` (planned as if today were ${todayIs}: Options › Today Is)` : '';
	const head: IDataObject = { decision: `${decisionLine(mode, result, skipped)}${leaves}${clock}` };
	if (todayIs) head.todayIs = todayIs;
	if (mode === 'explain') {
		head.explanation = result.explanation ?? [];
		head.explainKey = result.explainTarget?.key ?? query;
		if (result.explainTarget) head.explainTarget = result.explainTarget as unknown as IDataObject;
	}
	const hint = resetHint(result);
	if (hint) head.hint = hint;
	if (result.summary.dryRun) head.wouldChange = wouldChange(result);
	const story = skipped.length > 0 ? { skippedBy: skipped as unknown as IDataObject[] } : {};
	const ahead = leaving ? { leavingAhead: leavingAheadText(leaving) } : {};
	return { ...head, mode, ...(result.summary as unknown as IDataObject), ...story, ...ahead };
}

/** n8n execution hints (shown above the output) for a dry run, a blocked run and the reset case. */
export function executionHints(mode: SyncMode, result: SyncResult): NodeExecutionHint[] {
	const hints: NodeExecutionHint[] = [];
	if (result.summary.blocked) {
		hints.push({
			type: 'danger',
			location: 'outputPane',
			message: `Blocked by a safety guard, nothing was written: ${result.summary.blocked} Check the Changes in a Dry Run; if they are intended, approve the plan (Safety Guards > Approve Plan) or raise the guard.`,
		});
	} else if (mode === 'dryRun') {
		hints.push({
			type: 'info',
			location: 'outputPane',
			message: `Dry run: ${wouldChange(result)} would change and nothing was written. When the Changes look right, set Mode to Sync to write them to Plek.`,
		});
	}
	const hint = resetHint(result);
	if (hint) hints.push({ type: 'warning', location: 'outputPane', message: hint });
	return hints;
}
