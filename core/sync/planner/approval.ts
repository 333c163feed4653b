// Approve exactly what was previewed: a blocked plan carries its fingerprint and the first people it affects;
// a run with approvePlan = that fingerprint applies the plan if, and only if, the plan computed now has the same
// fingerprint. Any other plan (a changed source, a changed Plek) is blocked again, saying what changed.
import type { BlockedInfo, PlannedStep, ResolvedSyncOptions, StepKind } from '../types';
import { countWrites, parseFingerprintCounts } from './fingerprint';
import { blockedCounts, type GuardCounts } from './guards';

/** How many people a blocked plan names (Summary, error message). */
export const FIRST_AFFECTED = 10;

/** Deactivations first: they are what guards block. */
const ORDER: readonly StepKind[] = ['deactivate', 'update', 'adopt', 'reactivate', 'create', 'groupRemove', 'groupAdd', 'groupCreate'];

function who(step: PlannedStep): string {
	if (step.kind === 'groupCreate') return `groupCreate ${JSON.stringify(step.displayName)}`;
	const name = step.kind === 'create' ? step.user.userName : 'userName' in step ? step.userName : undefined;
	const group = step.kind === 'groupAdd' || step.kind === 'groupRemove' ? ` ${JSON.stringify(step.groupName)}` : '';
	return `${step.kind}${group} ${typeof name === 'string' ? name : ''} (key ${JSON.stringify(step.key)})`.replace('  ', ' ');
}

/** The first people a plan writes to, deactivations first: "deactivate j.jansen@acme.nl (key "k1")". */
export function firstAffected(steps: readonly PlannedStep[], limit = FIRST_AFFECTED): string[] {
	const lines: string[] = [];
	for (const kind of ORDER) {
		for (const step of steps) {
			if (lines.length >= limit) return lines;
			if (step.kind === kind) lines.push(who(step));
		}
	}
	return lines;
}

function describeCounts(counts: ReadonlyMap<StepKind, number>): string {
	const parts = ORDER.filter((k) => (counts.get(k) ?? 0) > 0).map((k) => `${counts.get(k)} ${k}`);
	return parts.length > 0 ? parts.join(', ') : 'no writes';
}

/** What differs between an approved fingerprint and the plan now, in words. */
export function whatChanged(approved: string, steps: readonly PlannedStep[]): string {
	const before = parseFingerprintCounts(approved);
	const now = countWrites(steps);
	if (!before) return `${JSON.stringify(approved)} is not a plan fingerprint (copy it from the blocked run's Summary or error); the plan now has ${describeCounts(now)}`;
	const same = ORDER.every((k) => (before.get(k) ?? 0) === (now.get(k) ?? 0));
	if (same) return `the counts are the same (${describeCounts(now)}), but the people or values written differ`;
	return `approved: ${describeCounts(before)}; now: ${describeCounts(now)}`;
}


export interface ApprovalOutcome {
	blocked?: BlockedInfo;
	/** The fingerprint was approved and matches: the plan is applied even over a guard. */
	approved: boolean;
	trace: string[];
}

/**
 * Settles a guard's verdict against an approval: no approval -> the guard's verdict (with the fingerprint and
 * the first people, so the admin can approve); the same fingerprint -> applied; another -> blocked.
 */
export function checkApproval(
	guard: BlockedInfo | undefined,
	fingerprint: string,
	approvePlan: string,
	steps: readonly PlannedStep[],
	o: ResolvedSyncOptions,
	counts: GuardCounts,
): ApprovalOutcome {
	const people = firstAffected(steps);
	if (approvePlan === '') {
		if (!guard) return { approved: false, trace: [] };
		const reason = `${guard.reason} To apply exactly this plan, set Approve Plan to ${fingerprint}.`;
		return { approved: false, blocked: { ...guard, reason, fingerprint, firstAffected: people }, trace: [] };
	}
	if (approvePlan === fingerprint) {
		const note = `Approved plan ${fingerprint}: the plan computed now is the approved one${guard ? '; applied although a guard would block it' : ''}.`;
		return { approved: true, trace: [note] };
	}
	const reason =
		`Sync blocked, nothing was written: the approved plan ${approvePlan} is not the plan computed now (${fingerprint}): ` +
		`${whatChanged(approvePlan, steps)}. Review the new plan (Dry Run) and, if it is right, set Approve Plan to ${fingerprint}` +
		`${guard ? '' : ', or clear Approve Plan'}.`;
	return { approved: false, blocked: { reason, counts: guard?.counts ?? blockedCounts(o, counts), fingerprint, firstAffected: people }, trace: [] };
}
