// Typed outcomes from the transport alone: created | alreadyExisted | updated | failed{status, scimType, detail, hint}.
import { PlekScimClient } from '../../transport/client';
import { SCIM, connectionReset, fakeHttp, fakeTime, json } from './helpers';

const SPC_NO_BULK = { patch: { supported: true }, bulk: { supported: false }, filter: { supported: true, maxResults: 100 } };
const draft = (key: string) => ({ externalId: key, userName: `${key}@acme.test`, active: true });

function client(handler: Parameters<typeof fakeHttp>[0]) {
	const fake = fakeHttp(handler);
	const time = fakeTime();
	return { fake, client: new PlekScimClient(fake.http, { scimBaseUrl: SCIM, pageSize: 100, sleep: time.sleep, baseDelayMs: 1 }) };
}

describe('writeUsers outcomes', () => {
	it('409 resolved by lookup is alreadyExisted; lost answer found by lookup is created; 400 is failed with its scimType', async () => {
		const { client: plek, fake } = client((req) => {
			if (req.url.endsWith('/ServiceProviderConfig')) return json(200, SPC_NO_BULK);
			if (req.method === 'POST') {
				const key = (req.body as { externalId: string }).externalId;
				if (key === 'k409') return json(409, { scimType: 'uniqueness', detail: 'exists' });
				if (key === 'klost') throw connectionReset();
				if (key === 'k400') return json(400, { scimType: 'invalidValue', detail: 'title is too long' });
				return json(201, { id: `id-${key}`, ...draft(key) });
			}
			if (req.method === 'PATCH') return json(200, { id: 'u1', userName: 'x' });
			const filter = String(req.qs?.filter);
			if (filter.includes('k409')) return json(200, { totalResults: 1, Resources: [{ id: 'id-k409', ...draft('k409') }] });
			if (filter.includes('klost')) return json(200, { totalResults: 1, Resources: [{ id: 'id-klost', ...draft('klost') }] });
			return json(200, { totalResults: 0, Resources: [] });
		});
		const settled: string[] = [];
		const outcomes = await plek.writeUsers(
			[
				{ kind: 'create', draft: draft('k1') },
				{ kind: 'create', draft: draft('k409') },
				{ kind: 'create', draft: draft('klost') },
				{ kind: 'create', draft: draft('k400') },
				{ kind: 'patch', userId: 'u1', operations: [{ op: 'replace', path: 'title', value: 'T' }] },
			],
			{ onSettled: (i, o) => settled.push(`${i}:${o.outcome}`) },
		);
		expect(outcomes.map((o) => o.outcome)).toEqual(['created', 'alreadyExisted', 'created', 'failed', 'updated']);
		expect(outcomes[3]).toMatchObject({ status: 400, scimType: 'invalidValue', detail: expect.stringMatching(/title is too long/) });
		expect(settled.sort()).toEqual(['0:created', '1:alreadyExisted', '2:created', '3:failed', '4:updated']);
		// The lost create was POSTed once: the lookup found it.
		expect(fake.requests.filter((r) => r.method === 'POST' && (r.body as { externalId: string }).externalId === 'klost')).toHaveLength(1);
	});

	it('a 409 for a different person is failed, naming who holds the userName, with what to do', async () => {
		const { client: plek } = client((req) => {
			if (req.url.endsWith('/ServiceProviderConfig')) return json(200, SPC_NO_BULK);
			if (req.method === 'POST') return json(409, { scimType: 'uniqueness' });
			if (String(req.qs?.filter).startsWith('userName')) return json(200, { totalResults: 1, Resources: [{ id: 'u9', userName: 'k1@acme.test', externalId: 'other' }] });
			return json(200, { totalResults: 0, Resources: [] });
		});
		const [outcome] = await plek.writeUsers([{ kind: 'create', draft: draft('k1') }]);
		expect(outcome).toMatchObject({
			outcome: 'failed',
			status: 409,
			scimType: 'uniqueness',
			detail: expect.stringMatching(/already belongs to Plek user u9 with externalId "other"/),
			hint: expect.stringMatching(/link it/),
		});
		// Outcomes go into node output: the error they came from is not part of them.
		expect(Object.keys(outcome)).not.toContain('error');
	});

	it('ensureGroup: an existing group (409) is alreadyExisted', async () => {
		const { client: plek } = client((req) => {
			if (req.method === 'POST') return json(409, { scimType: 'uniqueness' });
			return json(200, { totalResults: 1, Resources: [{ id: 'g1', displayName: 'Care' }] });
		});
		expect(await plek.ensureGroup('Care')).toEqual({ outcome: 'alreadyExisted', resource: { id: 'g1', displayName: 'Care' } });
	});
});
