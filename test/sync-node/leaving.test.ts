// Leave dates ahead (issue 25): a person active in the source whose leaveDate lies after the Sync's today is
// counted and named in the Summary, carries `leavesOn` in Changes and is explained - and nothing about it is written
// to Plek. Through the Sync node class against the real sandbox over HTTP, with Today Is as the clock.
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { runSync, sandboxForFile } from '../support/syncNodeSandbox';

const sandbox = sandboxForFile({ staticToken: 'sync-node-leaving-token' });

const TODAY = '2026-12-07';
const person = (key: string, extra: IDataObject = {}, profile: IDataObject = {}): IDataObject => ({
	key,
	userName: `${key}@acme.example`,
	active: true,
	profile: { 'name.givenName': key, ...profile },
	...extra,
});
const staff = (): IDataObject[] => [
	person('jan', { leaveDate: '2027-03-31' }, { 'name.givenName': 'Jan', 'name.familyName': 'de Vries' }),
	person('piet', { leaveDate: '2027-01-15' }, { displayName: 'Piet Jansen' }),
	person('stays'),
	person('lastDay', { leaveDate: TODAY }), // leaves today: not a date ahead
	person('gone', { active: false, leaveDate: '2026-11-30' }),
	person('withdrawn', { active: false, leaveDate: '2027-06-30' }), // inactive in the source: not counted
];

async function sync(input: IDataObject[], parameters: INodeParameters = {}) {
	return await runSync(sandbox, { parameters: { ...parameters, options: { today: TODAY, ...((parameters.options as IDataObject) ?? {}) } }, input });
}

describe('leave dates ahead', () => {
	it('the Summary counts and names them, soonest first; their Changes items carry leavesOn; nothing of it reaches Plek', async () => {
		const dry = await sync(staff(), { mode: 'dryRun' });
		const [summary] = dry.json(0);
		expect(summary.decision).toBe(
			`Dry run: 4 would change (4 create), nothing was written; skipped 2 (2 leavers not created); 2 leave on a date ahead (planned as if today were ${TODAY}: Options › Today Is)`,
		);
		expect(summary.leavingAhead).toBe('2 leave on a date ahead: Piet Jansen 2027-01-15, Jan de Vries 2027-03-31');
		const changes = dry.json(1);
		expect(changes.map((c) => [c.key, c.leavesOn])).toEqual([
			['jan', '2027-03-31'],
			['piet', '2027-01-15'],
			['stays', undefined],
			['lastDay', undefined],
		]);

		const applied = await sync(staff());
		expect(applied.json(0)[0].decision).toBe(`Synced: 4 create; skipped 2 (2 leavers not created); 2 leave on a date ahead (planned as if today were ${TODAY}: Options › Today Is)`);
		expect(JSON.stringify(sandbox.users())).not.toMatch(/2027-0[13]-/);
		const jan = sandbox.users().find((u) => u.externalId === 'jan');
		expect(jan?.active).toBe(true);

		// Converges: the next run writes nothing and still tells who leaves ahead.
		sandbox.resetCounters();
		const again = await sync(staff());
		expect(sandbox.counters().writes).toBe(0);
		expect(again.json(1)).toEqual([]);
		expect(again.json(0)[0]).toMatchObject({ leavingAhead: '2 leave on a date ahead: Piet Jansen 2027-01-15, Jan de Vries 2027-03-31' });
		expect(again.json(0)[0].decision).toMatch(/^In step: nothing to change; skipped 2 \(2 leavers not created\); 2 leave on a date ahead/);

		// Once the date has passed (Today Is moved on) nobody leaves ahead; the source's Active decides the rest.
		const later = await sync(staff(), { options: { today: '2027-04-01' } });
		expect(later.json(0)[0].leavingAhead).toBeUndefined();
		expect(later.json(0)[0].decision).not.toMatch(/leave on a date ahead/);
	});

	it('names the first five and says how many more; one person is "1 leaves"', async () => {
		const many = ['2027-07-01', '2027-02-01', '2027-05-01', '2027-01-01', '2027-06-01', '2027-03-01', '2027-04-01'].map((leaveDate, i) => person(`p${i}`, { leaveDate }));
		const [summary] = (await sync(many, { mode: 'dryRun' })).json(0);
		expect(summary.leavingAhead).toBe(
			'7 leave on a date ahead: p3 2027-01-01, p1 2027-02-01, p5 2027-03-01, p6 2027-04-01, p2 2027-05-01, and 2 more',
		);
		// Without a name in the record, the userName.
		const [one] = (await sync([{ key: 'solo', userName: 'solo@acme.example', active: true, leaveDate: '2027-03-31' }], { mode: 'dryRun' })).json(0);
		expect(one.leavingAhead).toBe('1 leaves on a date ahead: solo@acme.example 2027-03-31');
		expect(one.decision).toMatch(/; 1 leaves on a date ahead/);
	});

	it('Explain says when the person leaves and that they stay active until the source says otherwise', async () => {
		const run = await sync(staff(), { mode: 'explain', explainKey: 'jan' });
		const [summary] = run.json(0);
		expect(summary.explanation).toContain(
			`Leaves on 2027-03-31 (today is ${TODAY} in Europe/Amsterdam); stays active until the source marks them inactive (or the date passes). Plek stores no leave date.`,
		);
		expect(summary.leavingAhead).toBeUndefined(); // Explain is about one person
		const stays = await sync(staff(), { mode: 'explain', explainKey: 'lastDay' });
		expect((stays.json(0)[0].explanation as string[]).join('\n')).not.toMatch(/Leaves on/);
	});
});
