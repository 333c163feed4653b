// One final decision per object. Each record, missing user and group removal is first decided by its own rule (a
// draft: decide.ts, adoptions.ts, groups.ts, missing.ts); the run-wide facts read across the drafts (who manages
// whom, who is protected) are taken once; then each draft becomes its final decision here, in one step, and
// nothing changes it afterwards: the steps, counts, guards, fingerprint and every view read only final decisions.
import type { Decision, PlanContext } from './decision';
import { withLeaving } from './leaving';
import { managerWriteOf, withManager, type ManagerFacts } from './managers';
import { withProtection, type ProtectionFacts } from './protected';

/** The run-wide facts a draft is finished with. */
export interface RunFacts {
	ctx: PlanContext;
	/** Undefined when no record names a manager. */
	managers?: ManagerFacts;
	protection: ProtectionFacts;
}

/** Which drafts a rule applies to: leave dates and managers belong to valid input records only. */
export type DraftKind = 'record' | 'other';

/** A draft's final decision: its leave date, its manager write (records), then protection (judged last, on
 * everything it would write). The draft itself when nothing applies (most people). */
export function finalDecision(draft: Decision, kind: DraftKind, facts: RunFacts): Decision {
	let d = draft;
	if (kind === 'record') {
		d = withLeaving(d, facts.ctx);
		const manager = facts.managers && managerWriteOf(d, facts.managers, facts.ctx);
		if (manager) d = withManager(d, manager);
	}
	return withProtection(d, facts.protection);
}
