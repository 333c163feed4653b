// Issue 22, item 7: an approval applies one plan, once, to one environment, before it expires.
import { issuedMs, issuedStamp, parseFingerprint } from '../../../core/sync/planner/fingerprint';
import type { SyncOptions } from '../../../core/sync/types';
import { plan, plekUser, record } from './helpers';

const users = Array.from({ length: 10 }, (_, i) => plekUser(`u${i}`));
const leavers = (n: number) => users.map((u, i) => record(`u${i}`, { userName: u.userName, active: i >= n, profile: {} }));
const T0 = '2026-12-07T09:00:30Z';
const hoursLater = (h: number) => new Date(Date.parse(T0) + h * 3600_000).toISOString();
const ENV: SyncOptions = { environment: 'acme.plek.example' };

/** The blocked preview at T0 and its fingerprint. */
function preview(options: SyncOptions = ENV) {
	const p = plan(leavers(3), users, [], { ...options, now: T0 });
	expect(p.blocked).toBeDefined();
	return p.fingerprint as string;
}

test('a blocked plan\'s fingerprint names its counts and the minute it was issued', () => {
	const fingerprint = preview();
	expect(fingerprint).toMatch(/^deactivate3-20261207T0900Z-[0-9a-f]{20}$/);
	expect(parseFingerprint(fingerprint)).toEqual({ counts: new Map([['deactivate', 3]]), issued: '20261207T0900Z' });
	expect(issuedMs(issuedStamp(Date.parse(T0)))).toBe(Date.parse('2026-12-07T09:00:00Z'));
	expect(issuedMs('20261340T0900Z')).toBeUndefined();
});

test('the same plan, environment and approval within the day: applied', () => {
	const p = plan(leavers(3), users, [], { ...ENV, now: hoursLater(23), approvePlan: preview() });
	expect(p.approved).toBe(true);
	expect(p.blocked).toBeUndefined();
	expect(p.fingerprint).toBe(preview());
});

test('bound to the environment: approved for one Plek, refused for another', () => {
	const p = plan(leavers(3), users, [], { environment: 'other.plek.example', now: hoursLater(1), approvePlan: preview() });
	expect(p.approved).toBeUndefined();
	expect(p.blocked?.reason).toMatch(/is not the plan computed now for this Plek environment.*or it was approved for another Plek environment/);
});

test('expires: after 24 hours by default, later with Approval Valid For', () => {
	const late = plan(leavers(3), users, [], { ...ENV, now: hoursLater(25), approvePlan: preview() });
	expect(late.approved).toBeUndefined();
	expect(late.blocked?.reason).toMatch(/the approval deactivate3-20261207T0900Z-[0-9a-f]{20} expired: issued 2026-12-07T09:00:00.000Z, valid for 24 hour\(s\) \("Approval Valid For"\)\. Review the plan again \(Dry Run\) and, if it is right, set Approve Plan to deactivate3-20261208T1000Z-/);
	expect(plan(leavers(3), users, [], { ...ENV, now: hoursLater(25), approvePlan: preview(), approvalValidHours: 48 }).approved).toBe(true);
});

test('single use: an approval already applied is refused with the reason, so a replay never deactivates again', () => {
	const fingerprint = preview();
	const replay = plan(leavers(3), users, [], { ...ENV, now: hoursLater(2), approvePlan: fingerprint, appliedApprovals: { [fingerprint]: hoursLater(1) } });
	expect(replay.approved).toBeUndefined();
	expect(replay.steps.filter((s) => s.kind === 'deactivate')).toHaveLength(3); // planned, but blocked: nothing is written
	expect(replay.blocked?.reason).toContain(`the approval ${fingerprint} was already applied (${hoursLater(1)}); an approval applies its plan once`);
	// Another approval of the same plan (a fresh preview) is a new decision by the admin.
	const again = plan(leavers(3), users, [], { ...ENV, now: hoursLater(2), approvePlan: replay.fingerprint, appliedApprovals: { [fingerprint]: hoursLater(1) } });
	expect(again.approved).toBe(true);
});

test('an approval without an issued time (an older fingerprint) is refused', () => {
	const old = preview().replace(/-\d{8}T\d{4}Z/, '');
	const p = plan(leavers(3), users, [], { ...ENV, now: hoursLater(1), approvePlan: old });
	expect(p.approved).toBeUndefined();
	expect(p.blocked?.reason).toMatch(/is not the plan computed now/);
});

test('the spelling of a group the plan creates is part of what is approved', () => {
	const options: SyncOptions = { ...ENV, createMissingGroups: true, maxGroupCreates: 0, now: T0 };
	const admins = plan([record('a', { groups: ['admins'] })], [], [], options);
	expect(admins.blocked).toBeDefined();
	const shouted = plan([record('a', { groups: ['ADMINS'] })], [], [], { ...options, now: hoursLater(1), approvePlan: admins.fingerprint });
	expect(shouted.approved).toBeUndefined();
	expect(shouted.blocked?.reason).toContain('the counts are the same');
});

test('an unblocked plan without an approval reads no clock: its fingerprint has no issued time', () => {
	const spy = jest.spyOn(Date, 'now');
	const p = plan(leavers(0), users, [], ENV);
	expect(spy).not.toHaveBeenCalled();
	spy.mockRestore();
	expect(p.fingerprint).toMatch(/^nothing-[0-9a-f]{20}$/);
});

test('the environment is one Plek however it is spelled (case, spaces around it)', () => {
	const p = plan(leavers(3), users, [], { environment: '  ACME.Plek.example ', now: hoursLater(1), approvePlan: preview() });
	expect(p.approved).toBe(true);
});

test('valid up to the hour it expires, to the millisecond; the issued minute counts from its start', () => {
	// Issued in the minute 09:00 (the preview at 09:00:30): valid until 09:00 the next day, not after.
	expect(plan(leavers(3), users, [], { ...ENV, now: '2026-12-08T09:00:00.000Z', approvePlan: preview() }).approved).toBe(true);
	const late = plan(leavers(3), users, [], { ...ENV, now: '2026-12-08T09:00:00.001Z', approvePlan: preview() });
	expect(late.approved).toBeUndefined();
	expect(late.blocked?.reason).toContain('expired');
});

test('an Approval Valid For that is not a positive number counts as the default 24 hours', () => {
	for (const approvalValidHours of [0, -5, Number.NaN, Number.POSITIVE_INFINITY, '48' as unknown as number]) {
		expect(plan(leavers(3), users, [], { ...ENV, now: hoursLater(23), approvePlan: preview(), approvalValidHours }).approved).toBe(true);
		expect(plan(leavers(3), users, [], { ...ENV, now: hoursLater(25), approvePlan: preview(), approvalValidHours }).approved).toBeUndefined();
	}
});

test('an issued stamp is the whole text or nothing', () => {
	expect(issuedMs('x20261207T0900Z')).toBeUndefined();
	expect(issuedMs('20261207T0900Zx')).toBeUndefined();
	expect(issuedMs('not a stamp')).toBeUndefined();
});
