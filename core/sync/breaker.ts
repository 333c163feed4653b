// The failure circuit breaker: when more than a set share of the writes failed (default 40% after at least 20
// writes), the run stops writing. Two measures, either one stops: the whole run so far, and a sliding window of
// the last writes (BREAKER_WINDOW), so a burst of failures late in a long run stops it quickly instead of hiding
// behind the earlier successes (after 1,000 successes, a cumulative share would let 600+ failures through). Writes in flight finish; nothing new starts. The executor then reports what
// was done, what failed and what was not attempted, and rejects with SyncStoppedError (like Entra's quarantine).
//
// A "write" is one outcome Plek answered: a user's create or PATCH, a group create, one member of a membership
// change. Refused attributes inside an applied PATCH are not failures of the write.

import type { WriteOutcome } from '../types';
import type { FailureKind, PlannedStep, StoppedInfo } from './model';
import type { ChangeItem, IssueItem, SyncResult } from './types';

export type { FailureKind, StoppedInfo } from './model';

export interface BreakerSettings {
	/** Stop when more than this percentage of the writes so far failed; 100 (or more) never stops. */
	failurePercent: number;
	/** Writes (answered) before the percentage is checked. */
	minWrites: number;
	/** The sliding window: the last this many writes (at least minWrites). Default BREAKER_WINDOW. */
	window?: number;
}

/** The sliding window's default size: a burst stops a long run after at most ~40 of 100 recent writes failed. */
export const BREAKER_WINDOW = 100;

/** The outcomes of the last `size` writes (a ring of flags) and how many of them failed. */
class RecentWrites {
	private readonly failedAt: boolean[] = [];
	private next = 0;
	failed = 0;

	constructor(readonly size: number) {}

	get count(): number {
		return this.failedAt.length;
	}

	push(failed: boolean): void {
		if (this.failedAt.length < this.size) {
			this.failedAt.push(failed);
		} else {
			if (this.failedAt[this.next]) this.failed--;
			this.failedAt[this.next] = failed;
			this.next = (this.next + 1) % this.size;
		}
		if (failed) this.failed++;
	}
}

/** Counts the answered writes and opens (stops writing) once the failure share is over the limit. */
export class CircuitBreaker {
	attempted = 0;
	failed = 0;
	/** Failures by kind of status (for the advice). */
	readonly failuresBy = new Map<string, number>();
	private readonly statuses: Array<number | undefined> = [];
	private readonly recent: RecentWrites;
	private tripped = false;
	/** The window's counts when it (not the whole run) tripped the breaker. */
	private trippedByWindow?: { writes: number; failed: number };

	constructor(readonly settings: BreakerSettings) {
		this.recent = new RecentWrites(Math.max(1, settings.minWrites, settings.window ?? BREAKER_WINDOW));
	}

	/** True once the breaker tripped: no new write may start. */
	get open(): boolean {
		return this.tripped;
	}

	/** One answered write: its outcome decides, then the share is checked. */
	record(outcome: Pick<WriteOutcome, 'outcome'> & { status?: number; scimType?: string }): void {
		this.attempted++;
		if (outcome.outcome === 'failed') {
			this.failed++;
			this.statuses.push(outcome.status);
			const label = outcome.status === undefined ? 'no answer (network)' : `HTTP ${outcome.status}${outcome.scimType ? ` ${outcome.scimType}` : ''}`;
			this.failuresBy.set(label, (this.failuresBy.get(label) ?? 0) + 1);
		}
		this.recent.push(outcome.outcome === 'failed');
		if (this.tripped) return;
		if (overLimit(this.attempted, this.failed, this.settings)) {
			this.tripped = true;
		} else if (this.recent.count === this.recent.size && overLimit(this.recent.count, this.recent.failed, this.settings)) {
			this.tripped = true;
			this.trippedByWindow = { writes: this.recent.count, failed: this.recent.failed };
		}
	}

	/** The stop as the Summary shows it; `notAttempted` counted by the executor. */
	stopped(notAttempted: number): StoppedInfo {
		const { failurePercent, minWrites } = this.settings;
		const kind = dominantFailure(this.statuses);
		const percent = (failed: number, of: number) => Math.round((failed / Math.max(1, of)) * 100);
		const window = this.trippedByWindow;
		const share = window
			? `${window.failed} of the last ${window.writes} writes failed (${percent(window.failed, window.writes)}%, more than the ${failurePercent}% allowed); ${this.failed} of ${this.attempted} in the whole run. `
			: `${this.failed} of ${this.attempted} writes failed (${percent(this.failed, this.attempted)}%, more than the ${failurePercent}% allowed once ${minWrites} writes are made). `;
		return {
			reason: `Sync stopped writing: ${share}${this.attempted - this.failed} succeeded, ${notAttempted} planned write(s) were not attempted.`,
			attempted: this.attempted,
			failed: this.failed,
			failurePercent,
			minWrites,
			notAttempted,
			failureKind: kind,
			whatToCheck: ADVICE[kind],
			failuresBy: Object.fromEntries([...this.failuresBy.entries()].sort((a, b) => b[1] - a[1])),
			...(window ? { window } : {}),
		};
	}
}

export function overLimit(attempted: number, failed: number, settings: BreakerSettings): boolean {
	if (settings.failurePercent >= 100 || attempted < settings.minWrites || attempted === 0) return false;
	return failed * 100 > settings.failurePercent * attempted;
}

/** What the failures have in common: the credential, rate limiting, Plek unavailable, or Plek refusing the values. */

function kindOf(status: number | undefined): FailureKind {
	if (status === 401 || status === 403) return 'credential';
	if (status === 429) return 'rateLimit';
	if (status === undefined || status >= 500 || status === 408) return 'unavailable';
	return 'refused';
}

const ADVICE: Record<FailureKind, string> = {
	credential:
		'Plek refused the credential (HTTP 401/403): check the Plek credential (Client ID and Secret, or the token) and that this client may provision users and groups in Plek.',
	rateLimit:
		'Plek kept rate-limiting (HTTP 429): lower Concurrency or set Requests Per Second in the Sync options, or raise Rate Limit Budget; then run again (a run only writes what is still different).',
	unavailable:
		'Plek was unavailable or the connection failed (HTTP 5xx, timeouts, dropped connections): check that Plek is up and reachable from n8n, then run again (a run only writes what is still different).',
	refused:
		'Plek refused the writes as they are (HTTP 4xx): check the mapping against the Plek schema for the attributes in the failed changes (see the first failures in Issues). Running again unchanged fails the same way.',
};

/** The most common kind of failure (ties: the first kind met). */
export function dominantFailure(statuses: ReadonlyArray<number | undefined>): FailureKind {
	const counts = new Map<FailureKind, number>();
	for (const status of statuses) counts.set(kindOf(status), (counts.get(kindOf(status)) ?? 0) + 1);
	let best: FailureKind = 'refused';
	let most = -1;
	for (const [kind, n] of counts) {
		if (n > most) {
			best = kind;
			most = n;
		}
	}
	return best;
}

/** Thrown by executePlan when the breaker stopped the run. `result` holds what was done, failed and not attempted. */
export class SyncStoppedError extends Error {
	constructor(
		message: string,
		readonly result: SyncResult,
	) {
		super(message);
		this.name = 'SyncStoppedError';
	}
}

/** The Issue that opens the list when a run stopped. */
export function stoppedIssue(info: StoppedInfo): IssueItem {
	return { type: 'stopped', action: 'sync', reason: info.reason, whatToDo: info.whatToCheck };
}

/** The error's details: the counts, what to check, how failures split, and the first people not attempted. */
export function stoppedDescription(result: SyncResult, listed = 20): string {
	const stopped = result.summary.stopped;
	if (!stopped) return '';
	const notAttempted = result.issues.filter((i) => i.type === 'notAttempted');
	const who = notAttempted.slice(0, listed).map((i) => i.userName ?? i.key ?? i.groupName ?? '?');
	const firstFailures = result.issues.filter((i) => i.type === 'failed').slice(0, 3).map((i) => `${i.userName ?? i.key ?? i.groupName ?? ''}: ${i.reason}`);
	const lines = [
		stopped.whatToCheck,
		`Failures: ${Object.entries(stopped.failuresBy).map(([label, n]) => `${n} x ${label}`).join(', ')}.`,
		...(firstFailures.length > 0 ? [`First failures: ${firstFailures.join(' | ')}`] : []),
		`Done: ${Object.entries(result.summary.done).filter(([, n]) => n > 0).map(([k, n]) => `${n} ${k}`).join(', ') || 'nothing'}.`,
		`Not attempted (${notAttempted.length} people or groups; nothing is lost, a later run plans them again): ${who.join(', ')}${notAttempted.length > listed ? `, and ${notAttempted.length - listed} more (Issues output with "Continue on Fail", or the error's context)` : ''}.`,
	];
	return lines.join('\n');
}

/** One `notAttempted` Issue per person (or group) with planned writes the stop left unsent, named like Changes. */
export function notAttemptedIssues(steps: readonly PlannedStep[], changes: readonly ChangeItem[], sent: (step: PlannedStep) => boolean): IssueItem[] {
	const byWho = new Map<string, { key?: string; groupName?: string; actions: string[] }>();
	for (const step of steps) {
		if (sent(step)) continue;
		const id = step.kind === 'groupCreate' ? `group\u0000${step.displayName}` : `user\u0000${step.key}`;
		const entry = byWho.get(id) ?? (step.kind === 'groupCreate' ? { groupName: step.displayName, actions: [] } : { key: step.key, actions: [] });
		const action = step.kind === 'groupAdd' || step.kind === 'groupRemove' ? `${step.kind} ${step.groupName}` : step.kind;
		if (!entry.actions.includes(action)) entry.actions.push(action);
		byWho.set(id, entry);
	}
	const identity = new Map(changes.filter((c) => c.key !== undefined).map((c) => [c.key as string, c]));
	return [...byWho.values()].map((entry): IssueItem => {
		const who = entry.key !== undefined ? identity.get(entry.key) : undefined;
		return {
			type: 'notAttempted',
			action: entry.actions.join('+'),
			...(entry.key !== undefined ? { key: entry.key } : {}),
			...(entry.groupName !== undefined ? { groupName: entry.groupName } : {}),
			...(who?.userName !== undefined ? { userName: who.userName } : {}),
			...(who?.displayName !== undefined ? { displayName: who.displayName } : {}),
			reason: `not attempted (${entry.actions.join(', ')}): the sync stopped writing because too many writes failed`,
			whatToDo: 'Nothing is lost: once the cause of the failures is fixed, the next run plans this again against Plek and writes it.',
		};
	});
}
