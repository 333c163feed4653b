// The Dutch HR stand-ins (sandbox/hr/) refuse what the real systems refuse, so a template that passes the e2e suite
// against them got authentication, tenant headers and paging right. The templates themselves run in real n8n in
// test/e2e/dutch-hr.e2e.test.ts.
import { AFAS_CUSTOM_CONNECTOR, AFAS_DEFAULTS, afasRows, startAfas } from '../../sandbox/hr/afas';
import { afasExportCsv } from '../../sandbox/hr/afas-export';
import { DutchHrStandIns, startDutchHr } from '../../sandbox/hr/index';
import { LOKET_DEFAULTS } from '../../sandbox/hr/loket';
import { NMBRS_DEFAULTS } from '../../sandbox/hr/nmbrs';
import { expectedFamilyName, hrPeople } from '../../sandbox/hr/people';
import { YOUFORCE_DEFAULTS } from '../../sandbox/hr/youforce';

let hr: DutchHrStandIns;
beforeAll(async () => {
	hr = await startDutchHr();
});
afterAll(async () => {
	await hr.close();
});

const form = (fields: Record<string, string>) => ({
	method: 'POST',
	headers: { 'content-type': 'application/x-www-form-urlencoded' },
	body: new URLSearchParams(fields).toString(),
});
const json = async (response: Response) => ({ status: response.status, body: (await response.json()) as Record<string, any> });

describe('AFAS Profit', () => {
	const url = (query: string) => `${hr.afas.connectorUrl(AFAS_CUSTOM_CONNECTOR)}?${query}`;

	it('answers 401 with an AFAS error body without a valid AfasToken or bearer token', async () => {
		const none = await json(await fetch(url('skip=0&take=10')));
		expect(none.status).toBe(401);
		expect(none.body.externalMessage).toMatch(/token/i);
		const wrong = await fetch(url('skip=0&take=10'), { headers: { authorization: `AfasToken ${Buffer.from('<token>x</token>').toString('base64')}` } });
		expect(wrong.status).toBe(401);
		const ok = await fetch(url('skip=0&take=10'), { headers: { authorization: hr.afas.classicAuthorization } });
		expect(ok.status).toBe(200);
	});

	it('gives an OAuth token for the right client only, and accepts it as a bearer token', async () => {
		expect((await fetch(hr.afas.tokenUrl, form({ grant_type: 'client_credentials', client_id: AFAS_DEFAULTS.clientId, client_secret: 'wrong' }))).status).toBe(401);
		const token = await json(await fetch(hr.afas.tokenUrl, form({ grant_type: 'client_credentials', client_id: AFAS_DEFAULTS.clientId, client_secret: AFAS_DEFAULTS.clientSecret })));
		expect(token.status).toBe(200);
		const page = await json(await fetch(url('skip=0&take=5&orderbyfieldids=Medewerker'), { headers: { authorization: `Bearer ${token.body.access_token}` } }));
		expect(page.body).toMatchObject({ skip: 0, take: 5 });
		expect(page.body.rows).toHaveLength(5);
	});

	it('pages reliably only with orderbyfieldids: without it the rows come in another order per request', async () => {
		const auth = { headers: { authorization: hr.afas.classicAuthorization } };
		const keys = async (query: string) => ((await json(await fetch(url(query), auth))).body.rows as Array<Record<string, unknown>>).map((row) => `${row.Medewerker}/${row.Volgnummer_contract}`);
		const total = afasRows(hrPeople(), AFAS_CUSTOM_CONNECTOR).length;
		const ordered = [...(await keys('skip=0&take=100&orderbyfieldids=Medewerker,Volgnummer_contract')), ...(await keys(`skip=100&take=${total}&orderbyfieldids=Medewerker,Volgnummer_contract`))];
		expect(new Set(ordered).size).toBe(total);
		const unordered = [...(await keys('skip=0&take=100')), ...(await keys(`skip=100&take=${total}`))];
		expect(new Set(unordered).size).toBeLessThan(total);
		expect((await fetch(url('orderbyfieldids=Nope'), auth)).status).toBe(400);
	});

	it('writes dates as local dates with a Z and empty fields as null; one row per contract', () => {
		const rows = afasRows(hrPeople(), AFAS_CUSTOM_CONNECTOR);
		expect(rows[0].Datum_in_dienst).toMatch(/^\d{4}-\d{2}-\d{2}T00:00:00Z$/);
		expect(rows.some((row) => row.Datum_uit_dienst === null)).toBe(true);
		expect(rows.length).toBeGreaterThan(hrPeople().length);
	});
});

test('the AFAS export starts with a BOM, separates with ; and writes dates day first', () => {
	const csv = afasExportCsv();
	expect(csv.charCodeAt(0)).toBe(0xfeff);
	const [header, first] = csv.slice(1).split('\r\n');
	expect(header.split(';')).toContain('E-mail werk');
	expect(first.split(';')[11]).toMatch(/^\d{2}-\d{2}-\d{4}$/);
});

describe('Youforce IAM API', () => {
	const token = async () => (await json(await fetch(hr.youforce.tokenUrl, form({ grant_type: 'client_credentials', client_id: YOUFORCE_DEFAULTS.clientId, client_secret: YOUFORCE_DEFAULTS.clientSecret })))).body.access_token as string;

	it('needs a bearer token and the tenant header; pages with an absolute nextLink', async () => {
		expect((await fetch(`${hr.youforce.url}/iam/v1.0/persons`)).status).toBe(401);
		const bearer = { authorization: `Bearer ${await token()}` };
		expect((await fetch(`${hr.youforce.url}/iam/v1.0/persons`, { headers: bearer })).status).toBe(403);
		const first = await json(await fetch(`${hr.youforce.url}/iam/v1.0/persons`, { headers: { ...bearer, 'x-raet-tenant-id': hr.youforce.tenantId } }));
		expect(first.body.value).toHaveLength(100);
		expect(first.body.nextLink).toBe(`${hr.youforce.url}/iam/v1.0/persons?skip=100&take=100`);
		const last = await json(await fetch(`${hr.youforce.url}/iam/v1.0/persons?skip=200&take=100`, { headers: { ...bearer, 'x-raet-tenant-id': hr.youforce.tenantId } }));
		expect(last.body.nextLink).toBeUndefined();
	});
});

describe.each([
	{ system: 'Nmbrs', flow: () => hr.nmbrs, list: () => hr.nmbrs.employeesUrl, client: NMBRS_DEFAULTS },
	{ system: 'Loket.nl', flow: () => hr.loket, list: () => hr.loket.employmentsUrl, client: LOKET_DEFAULTS },
])('$system: OAuth authorization code', ({ flow, list, client }) => {
	it('redirects the login back with a code, exchanges it once, and renews with single-use refresh tokens', async () => {
		const login = await fetch(`${flow().authorizeUrl}?response_type=code&client_id=${client.clientId}&redirect_uri=${encodeURIComponent('http://n8n.local/rest/oauth2-credential/callback')}&state=s1`, { redirect: 'manual' });
		expect(login.status).toBe(302);
		const back = new URL(login.headers.get('location')!);
		expect(back.searchParams.get('state')).toBe('s1');
		const exchange = { grant_type: 'authorization_code', code: back.searchParams.get('code')!, client_id: client.clientId, client_secret: client.clientSecret };
		const tokens = await json(await fetch(flow().tokenUrl, form(exchange)));
		expect(tokens.body).toMatchObject({ token_type: 'Bearer', access_token: expect.any(String), refresh_token: expect.any(String) });
		expect((await fetch(flow().tokenUrl, form(exchange))).status).toBe(400);

		const bearer = { headers: { authorization: `Bearer ${tokens.body.access_token}` } };
		expect((await fetch(list(), bearer)).status).toBe(200);
		flow().oauth.expireAccessTokens();
		expect((await fetch(list(), bearer)).status).toBe(401);
		const refresh = { grant_type: 'refresh_token', refresh_token: tokens.body.refresh_token, client_id: client.clientId, client_secret: client.clientSecret };
		const renewed = await json(await fetch(flow().tokenUrl, form(refresh)));
		expect((await fetch(list(), { headers: { authorization: `Bearer ${renewed.body.access_token}` } })).status).toBe(200);
		const reused = await json(await fetch(flow().tokenUrl, form(refresh)));
		expect(reused).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
	});
});

test('the three people with a partner name they use get it in the order their name-use code says', () => {
	const people = hrPeople();
	const named = (code: string) => people.find((p) => p.nameUse === code)!;
	expect(expectedFamilyName(named('P'))).toBe([named('P').partnerParticle, named('P').partnerName].filter(Boolean).join(' '));
	expect(expectedFamilyName(named('BP'))).toMatch(/^.+-.+$/);
	expect(people.filter((p) => p.nameUse !== 'B')).toHaveLength(3);
	// Others with a partner name keep their own: a template that ignores the code fails for them.
	expect(people.filter((p) => p.nameUse === 'B' && p.partnerName !== '').length).toBeGreaterThan(20);
});

test('several contracts: the main one is the current one with the most hours, never the first listed', () => {
	const people = hrPeople().filter((p) => p.contracts.length > 1);
	expect(people.length).toBeGreaterThanOrEqual(20);
	for (const person of people) {
		const main = person.contracts[person.mainContract];
		expect(main.department).toBe(person.department);
		expect(person.mainContract).toBe(1);
	}
});

test('a second AFAS stand-in on its own port keeps its own tokens', async () => {
	const other = await startAfas({ classicToken: '<token><version>1</version><data>OTHER</data></token>' });
	try {
		expect((await fetch(other.connectorUrl(AFAS_CUSTOM_CONNECTOR), { headers: { authorization: hr.afas.classicAuthorization } })).status).toBe(401);
		expect((await fetch(other.connectorUrl(AFAS_CUSTOM_CONNECTOR), { headers: { authorization: other.classicAuthorization } })).status).toBe(200);
	} finally {
		await other.close();
	}
});
