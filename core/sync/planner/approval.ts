// Approve exactly what was previewed: a blocked plan carries its fingerprint and the first people it affects;
// a run with approvePlan = that fingerprint applies the plan if, and only if, the plan computed now has the same
// fingerprint - for the same Plek environment, before the approval expires (Approval Valid For, from the minute it
// was issued) and only once: the fingerprint carries the version of every account the plan writes, so an applied plan
// (or a hand edit since) no longer matches, and where n8n keeps the workflow's static data the Sync node also
// remembers applied approvals and names a replay as one. Any other plan (a changed source, a changed Plek) is blocked again, saying what changed.
import { STEP_KIND_LIST, STEP_KINDS, type BlockedInfo, type PlannedStep, type ResolvedSyncOptions, type StepKind, type SyncOptions } from '../types';
import { countWrites, issuedMs, issuedStamp, parseFingerprint, parseFingerprintCounts, planFingerprint } from './fingerprint';
import { blockedCounts, type GuardInput } from './guards';

/** How many people a blocked plan names (Summary, error message). */
export const FIRST_AFFECTED = 10;

/** The step kinds in the order a blocked plan names them (model.ts STEP_KINDS: deactivations first, they are what guards block). */
const ORDER: readonly StepKind[] = [...STEP_KIND_LIST].sort((a, b) => STEP_KINDS[a].firstAffected - STEP_KINDS[b].firstAffected);

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
	if (same) {
		return (
			`the counts are the same (${describeCounts(now)}), but the people or values written differ, an account it writes to ` +
			'has changed in Plek since (its version: the approved plan was applied already, or someone edited the account), ' +
			'or it was approved for another Plek environment'
		);
	}
	return `approved: ${describeCounts(before)}; now: ${describeCounts(now)}`;
}

export interface ApprovalOutcome {
	blocked?: BlockedInfo;
	/** The fingerprint was approved and matches: the plan is applied even over a guard. */
	approved: boolean;
	/** The plan's fingerprint: the approved one when it applies, else a fresh one (issued now) to approve. */
	fingerprint: string;
	trace: string[];
}

/** What an approval is checked against besides the plan (ApprovalOptions resolved, with the plan's clock). */
export interface ApprovalContext {
	approvePlan: string;
	environment: string;
	/** The plan's clock (ms), read only when a fingerprint needs its issued time (a blocked plan, an approval). */
	now: () => number;
	validHours: number;
	/** Approvals already applied: fingerprint -> when. */
	applied: Readonly<Record<string, string>>;
}

/** Default Approval Valid For: a day. */
export const DEFAULT_APPROVAL_VALID_HOURS = 24;

/** The approval's context from the Sync options (wrongly typed values fall back to the defaults). */
export function approvalContext(options: SyncOptions, approvePlan: string, now: () => number): ApprovalContext {
	const hours = options.approvalValidHours;
	const applied = options.appliedApprovals;
	return {
		approvePlan,
		environment: typeof options.environment === 'string' ? options.environment.trim().toLowerCase() : '',
		now,
		validHours: typeof hours === 'number' && Number.isFinite(hours) && hours > 0 ? hours : DEFAULT_APPROVAL_VALID_HOURS,
		applied: typeof applied === 'object' && applied !== null ? applied : {},
	};
}

/** Why an approval the Sync remembers applying never applies again, or undefined (checked before the plan is compared,
 * so a replay is named as one; where n8n keeps no memory, the versions in the fingerprint refuse it: fingerprint.ts). */
function appliedBefore(a: ApprovalContext): string | undefined {
	const when = Object.prototype.hasOwnProperty.call(a.applied, a.approvePlan) ? a.applied[a.approvePlan] : undefined;
	if (when === undefined) return undefined;
	return `the approval ${a.approvePlan} was already applied (${when}); an approval applies its plan once, so a replay never repeats it (people reactivated by hand since stay active)`;
}

/** Why an approval whose plan matches has expired, or undefined. */
function expiredApproval(a: ApprovalContext, issued: string): string | undefined {
	const issuedAt = issuedMs(issued) as number;
	const age = a.now() - issuedAt;
	if (age > a.validHours * 3600_000) {
		return `the approval ${a.approvePlan} expired: issued ${new Date(issuedAt).toISOString()}, valid for ${a.validHours} hour(s) ("Approval Valid For")`;
	}
	return undefined;
}

/**
 * Settles a guard's verdict against an approval: no approval -> the guard's verdict (with a fresh fingerprint and
 * the first people, so the admin can approve); the same plan, for this environment, not expired and not applied
 * before -> applied; anything else -> blocked, saying why.
 */
export function checkApproval(
	guard: BlockedInfo | undefined,
	steps: readonly PlannedStep[],
	a: ApprovalContext,
	o: ResolvedSyncOptions,
	counts: GuardInput,
): ApprovalOutcome {
	// An unblocked plan without an approval shows its content fingerprint (no clock read); a blocked one is issued now.
	if (a.approvePlan === '' && !guard) return { approved: false, fingerprint: planFingerprint(steps, { environment: a.environment }), trace: [] };
	const fingerprint = planFingerprint(steps, { environment: a.environment, issued: issuedStamp(a.now()) });
	const block = (reason: string): ApprovalOutcome => ({
		approved: false,
		fingerprint,
		blocked: { reason, counts: guard?.counts ?? blockedCounts(o, counts), ...(guard?.guards ? { guards: guard.guards } : {}), fingerprint, firstAffected: firstAffected(steps) },
		trace: [],
	});
	if (a.approvePlan === '') return block(`${(guard as BlockedInfo).reason} To apply exactly this plan, set Approve Plan to ${fingerprint}.`);
	const refuse = (why: string) =>
		block(`Sync blocked, nothing was written: ${why}. Review the plan again (Dry Run) and, if it is right, set Approve Plan to ${fingerprint}${guard ? '' : ', or clear Approve Plan'}.`);
	const replayed = appliedBefore(a);
	if (replayed) return refuse(replayed);
	const approval = parseFingerprint(a.approvePlan);
	const matches = approval?.issued !== undefined && planFingerprint(steps, { environment: a.environment, issued: approval.issued }) === a.approvePlan;
	if (!matches) {
		return block(
			`Sync blocked, nothing was written: the approved plan ${a.approvePlan} is not the plan computed now for this Plek environment (${fingerprint}): ` +
				`${whatChanged(a.approvePlan, steps)}. Review the new plan (Dry Run) and, if it is right, set Approve Plan to ${fingerprint}` +
				`${guard ? '' : ', or clear Approve Plan'}.`,
		);
	}
	const expired = expiredApproval(a, approval.issued as string);
	if (expired) return refuse(expired);
	const note = `Approved plan ${a.approvePlan}: the plan computed now is the approved one${guard ? '; applied although a guard would block it' : ''}.`;
	return { approved: true, fingerprint: a.approvePlan, trace: [note] };
}
