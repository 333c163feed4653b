// Leave dates ahead: a record that is active and whose leaveDate lies after today (the Sync's time zone, Today Is)
// is a person who will leave. Nothing is written for it - Plek has no leave date, and `active` alone decides the
// account's state - but the run says so: the Summary counts and names them, their Changes item carries
// `leavesOn`, Explain says it. The clock is read only when some record has a leave date.
import type { Decision, PlanContext } from './decision';
import { identityOf } from './views';

/** The decision of an active record leaving after today, with its leave date (finalise.ts: valid records only),
 * else the decision itself. */
export function withLeaving(d: Decision, ctx: PlanContext): Decision {
	const pre = ctx.preHires;
	const leaveDate = d.record?.leaveDate;
	if (pre === undefined || leaveDate === undefined || !d.record!.active || leaveDate <= pre.today()) return d;
	const line = `Leaves on ${leaveDate} (today is ${pre.today()} in ${pre.timeZone}); stays active until the source marks them inactive (or the date passes). Plek stores no leave date.`;
	return { ...d, leavesOn: leaveDate, trace: d.trace && [...d.trace, line] };
}

export interface LeavingAhead {
	count: number;
	/** The first people by leave date, soonest first: "Jan de Vries 2027-03-31" (display name, else userName, else key). */
	first: string[];
}

/** The people given a leave date by withLeaving, soonest first; undefined when there are none. */
export function leavingAhead(decisions: readonly Decision[], listed = 5): LeavingAhead | undefined {
	const leaving: Decision[] = [];
	for (let i = 0; i < decisions.length; i++) if (decisions[i].leavesOn !== undefined) leaving.push(decisions[i]);
	if (leaving.length === 0) return undefined;
	leaving.sort((a, b) => (a.leavesOn! < b.leavesOn! ? -1 : a.leavesOn! > b.leavesOn! ? 1 : 0));
	const first = leaving.slice(0, listed).map((d) => {
		const who = identityOf(d);
		return `${who.displayName ?? who.userName ?? d.key ?? '?'} ${d.leavesOn}`;
	});
	return { count: leaving.length, first };
}

/** "2 leave on a date ahead: Jan de Vries 2027-03-31, Piet Jansen 2027-06-30" (", and 3 more" past the listed). */
export function leavingAheadText(leaving: LeavingAhead): string {
	const more = leaving.count > leaving.first.length ? `, and ${leaving.count - leaving.first.length} more` : '';
	return `${leaving.count} ${leaving.count === 1 ? 'leaves' : 'leave'} on a date ahead: ${leaving.first.join(', ')}${more}`;
}
