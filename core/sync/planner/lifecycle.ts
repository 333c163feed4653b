// The life-cycle rules' hook into planSync: the fingerprint and the approval (after the guards), with the
// protected group's problem (protected.ts judges each decision in finalise.ts). Kept here so the planner's index stays a short list.
import type { BlockedInfo, PlannedStep, ResolvedSyncOptions, SyncPlan, SyncSummary } from '../types';
import { checkApproval, type ApprovalContext } from './approval';
import { planFingerprint } from './fingerprint';
import { blockedCounts, type GuardInput } from './guards';
import type { LifecycleOptions } from './options';

export interface Verdict {
	blocked?: BlockedInfo;
	fingerprint: string;
	approved: boolean;
	trace: string[];
}

/** The plan's fingerprint and whether it is blocked: the guard's verdict, settled against an approval. */
export function settleVerdict(
	guard: BlockedInfo | undefined,
	steps: readonly PlannedStep[],
	protectedGroupProblem: string | undefined,
	life: LifecycleOptions,
	o: ResolvedSyncOptions,
	counts: GuardInput,
	configProblems: readonly string[],
	approval: ApprovalContext,
): Verdict {
	const problem = protectedGroupProblem;
	if (problem || configProblems.length > 0) {
		// Fail closed and not approvable: without the group's members nobody knows who must not be touched; a rule
		// aimed at the protected group is a configuration error, whatever the data.
		const reason = problem
			? `Sync blocked, nothing was written: ${problem}, so its members cannot be protected. Create the group in Plek, or correct or clear "Protected Group" (in the Sync's options or on the Plek credential).`
			: `Sync blocked, nothing was written (a configuration error, not approvable): ${configProblems.join('; ')}.`;
		const counts2 = guard?.counts ?? blockedCounts(o, counts);
		const fingerprint = planFingerprint(steps, { environment: approval.environment }); // not approvable: no issued time
		return { blocked: { reason, counts: counts2, fingerprint }, fingerprint, approved: false, trace: [] };
	}
	const outcome = checkApproval(guard, steps, approval, o, counts);
	return { blocked: outcome.blocked, fingerprint: outcome.fingerprint, approved: outcome.approved, trace: outcome.trace };
}

type LifecycleSummary = Pick<SyncSummary, 'fingerprint' | 'approved' | 'firstAffected' | 'protected'>;

/** How many protected accounts a summary lists by name. */
const LISTED = 10;

/** The plan's life-cycle fields of the run Summary (the executor spreads these into it). */
export function lifecycleSummary(plan: SyncPlan): LifecycleSummary {
	const summary: LifecycleSummary = {};
	if (plan.fingerprint !== undefined) summary.fingerprint = plan.fingerprint;
	if (plan.approved) summary.approved = true;
	if (plan.blocked?.firstAffected) summary.firstAffected = plan.blocked.firstAffected;
	const matches = plan.protectedAccounts ?? [];
	if (matches.length > 0) {
		summary.protected = {
			count: matches.length,
			accounts: matches.slice(0, LISTED).map((m) => `${m.userName ?? m.userId} (${m.by === 'list' ? 'protected list' : 'protected group'}; not ${m.dropped.join(', ')})`),
		};
	}
	return summary;
}
