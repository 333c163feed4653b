// Approvals apply once: the Sync remembers the fingerprints it applied in the workflow's static data ('global', so
// a second Sync node of the same workflow - the approval template's "Apply the approved plan" - sees them too) and
// hands them to the planner, which refuses a replay with the reason (core/sync/planner/approval.ts). n8n saves
// static data after every run whose mode is not 'manual' (execution-lifecycle-hooks: scheduled, webhook, `n8n execute`);
// an editor run does not save it, and a queue-mode worker is handed none (n8n 2.41.1 stores no static data with the
// execution it enqueues). There the accounts' versions in the fingerprint refuse a replay (planner/fingerprint.ts).
import type { IDataObject } from 'n8n-workflow';


const KEY = 'plekAppliedApprovals';
/** How many applied approvals are kept (the oldest are forgotten; each expires after its validity anyway). */
const KEPT = 200;

/** The applied approvals (fingerprint -> ISO time) from the workflow's static data. */
export function appliedApprovals(store: IDataObject): Record<string, string> {
	const value = store[KEY];
	if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
	const applied: Record<string, string> = {};
	for (const [fingerprint, at] of Object.entries(value)) if (typeof at === 'string') applied[fingerprint] = at;
	return applied;
}

/** Remembers an applied approval (before its writes start: a failed or stopped run has used it too). */
export function rememberApplied(store: IDataObject, fingerprint: string, at: string): void {
	const applied = { ...appliedApprovals(store), [fingerprint]: at };
	const entries = Object.entries(applied).sort((a, b) => a[1].localeCompare(b[1]));
	store[KEY] = Object.fromEntries(entries.slice(-KEPT));
}

/** The environment an approval is bound to: the host of the credential's Plek environment URL ('' when unreadable). */
export function environmentOf(credential: IDataObject): string {
	const url = credential.environmentUrl;
	if (typeof url !== 'string') return '';
	try {
		return new URL(url.trim()).host.toLowerCase();
	} catch {
		return '';
	}
}
