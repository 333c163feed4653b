// Pre-hires: a record whose startDate (first working day, YYYY-MM-DD) lies in the future. Before that day the
// Sync never creates an active account and never (re)activates one. With Create Pre-hires (preHireDays >= 0) the
// account is created inactive from `preHireDays` days before the start date, so it is in its groups on day one;
// on the start date (in the Sync's time zone) the normal reactivation makes it active. A rescinded hire - the
// record turns inactive, or disappears, before the start date - stays or becomes inactive: the leaver rule
// deactivates it, and a missing inactive account is never reactivated.
// The clock is an option (`now`), read once per plan and only when some record has a startDate.
import { dateInZone, DEFAULT_TIME_ZONE, isKnownTimeZone } from '../../mapping/helpers';
import { isIsoDate, type ParsedUserRecord } from '../../record';
import type { SyncOptions } from '../types';
import type { Decision } from '../model';
import { show } from './text';

const DAY_MS = 86400000;

/** What the pre-hire rules read: the days ahead (negative: Create Pre-hires off) and today in the time zone. */
export interface PreHires {
	daysAhead: number;
	timeZone: string;
	/** Today's date (YYYY-MM-DD) in `timeZone` at `now`; computed on first use. */
	today(): string;
}

/** An instant from a Date, an ISO text or milliseconds; undefined when it is none of these. */
export function readInstant(value: unknown): number | undefined {
	if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.getTime();
	if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
	if (typeof value === 'string' && value.trim() !== '') {
		const ms = Date.parse(value.trim());
		return Number.isNaN(ms) ? undefined : ms;
	}
	return undefined;
}

/** The pre-hire options' defaults: Create Pre-hires off, Europe/Amsterdam, the current time. */
export const DEFAULT_PRE_HIRE_DAYS = -1;

/**
 * The rules from the options (preHireDays, timeZone, now); wrongly typed values fall back to the default.
 * `now` may also be a bare date (YYYY-MM-DD): then that is today, in any time zone.
 */
export function preHireRules(options: Pick<SyncOptions, 'preHireDays' | 'timeZone' | 'now'>): PreHires {
	const { now } = options;
	const days = options.preHireDays;
	const daysAhead = typeof days === 'number' && Number.isFinite(days) ? Math.floor(days) : DEFAULT_PRE_HIRE_DAYS;
	const zone = typeof options.timeZone === 'string' && isKnownTimeZone(options.timeZone.trim()) ? options.timeZone.trim() : DEFAULT_TIME_ZONE;
	let today = typeof now === 'string' && isIsoDate(now.trim()) ? now.trim() : undefined;
	return {
		daysAhead,
		timeZone: zone,
		today() {
			today ??= dateInZone(readInstant(now) ?? Date.now(), zone, 'the Sync');
			return today;
		},
	};
}

/** Whole days from today until the record's start date; undefined when it has none or it has started. */
export function daysUntilStart(rec: ParsedUserRecord, pre: PreHires | undefined): number | undefined {
	if (rec.startDate === undefined || pre === undefined) return undefined;
	const today = pre.today();
	if (rec.startDate <= today) return undefined;
	return Math.round((Date.parse(rec.startDate) - Date.parse(today)) / DAY_MS);
}

/**
 * The create hook: 'active' (no start date, or it has come), 'inactive' (a pre-hire within the days ahead) or
 * 'notYet' (the decision is then a skip with its reason).
 */
export function preHireCreate(d: Decision, rec: ParsedUserRecord, pre: PreHires | undefined): 'active' | 'inactive' | 'notYet' {
	const days = daysUntilStart(rec, pre);
	if (days === undefined || pre === undefined) return 'active';
	const starts = `Start date ${show(rec.startDate)} is ${days} day(s) away (today is ${pre.today()} in ${pre.timeZone})`;
	if (pre.daysAhead >= 0 && days <= pre.daysAhead) {
		d.trace?.push(`${starts}: within Create Pre-hires (${pre.daysAhead} days ahead) -> create inactive; activated on the start date.`);
		return 'inactive';
	}
	d.rule = 'preHireNotYet';
	d.action = 'skipped';
	d.trace?.push(
		pre.daysAhead >= 0
			? `${starts}: more than ${pre.daysAhead} days ahead (Create Pre-hires), not created yet.`
			: `${starts}: not created before the start date (Create Pre-hires is off).`,
	);
	return 'notYet';
}

/** The (re)activation hook: true when an inactive Plek user must stay inactive until the record's start date. */
export function holdActivation(d: Decision, rec: ParsedUserRecord, pre: PreHires | undefined): boolean {
	const days = daysUntilStart(rec, pre);
	if (days === undefined) return false;
	d.rule = 'preHireWaiting';
	d.trace?.push(`Plek user is inactive and the start date ${show(rec.startDate)} is ${days} day(s) away: stays inactive until then.`);
	return true;
}
