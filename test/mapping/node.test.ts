// The Plek Mapper node class run through the harness with real n8n-workflow types.
import type { IDataObject, IHttpRequestOptions, INodeParameters } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { FieldsMappingConfig } from '../../core/mapping';
import { PlekMapper } from '../../nodes/PlekMapper/PlekMapper.node';
import { COMMON_PROFILE_FIELDS } from '../../nodes/PlekMapper/profileFields';
import { pairedItemProblems, runLoadOptions, runNode, type HarnessOptions } from '../support/nodeHarness';
import {
	adDocument,
	adEntry,
	adExpected,
	adFields,
	csvDocument,
	csvExpected,
	csvFields,
	csvRow,
	ENTERPRISE,
	hrApiRecord,
	hrDocument,
	hrExpected,
	hrFields,
} from './fixtures';

/** Node parameters as a workflow JSON stores them, for a fields-mode mapping. */
function fieldsParameters(config: FieldsMappingConfig, extra: INodeParameters = {}): INodeParameters {
	return {
		mode: 'fields',
		mappingKey: config.key,
		userName: config.userName ?? '',
		active: config.active ?? 'true',
		profileFields: {
			field: (config.profile ?? []).map((f) => ({ path: f.path, expression: f.expression, apply: f.createOnly ? 'createOnly' : 'always' })),
		},
		groupRules: { rule: (config.groups ?? []).map((g) => ({ group: g.group, condition: g.condition })) },
		...extra,
	};
}

/** The AD entry as n8n's LDAP node emits it: JSON, objectGUID as the hex of its bytes. */
const ldapNodeItem = () => {
	const entry = adEntry();
	return { ...entry, objectGUID: (entry.objectGUID as Buffer).toString('hex') } as IDataObject;
};

const mapper = new PlekMapper();

async function run(parameters: INodeParameters, input: IDataObject[], options: HarnessOptions = {}) {
	const result = await runNode(mapper, { parameters, input, ...options });
	expect(pairedItemProblems(result, input.length)).toEqual([]);
	return result;
}

describe('Plek Mapper node: each source maps in both modes', () => {
	it.each([
		['AD entry from the LDAP node, fields mode', fieldsParameters(adFields), ldapNodeItem(), adExpected],
		['AD entry from the LDAP node, document mode', { mode: 'document', document: adDocument.document }, ldapNodeItem(), adExpected],
		['CSV row, fields mode', fieldsParameters(csvFields), csvRow(), csvExpected()],
		['CSV row, document mode', { mode: 'document', document: csvDocument.document }, csvRow(), csvExpected()],
		['HR API record, fields mode', fieldsParameters(hrFields), hrApiRecord(), hrExpected],
		['HR API record, document mode', { mode: 'document', document: hrDocument.document }, hrApiRecord(), hrExpected],
	])('%s', async (_name, parameters, item, expected) => {
		const result = await run(parameters as INodeParameters, [item as IDataObject]);
		expect(result.outputs).toHaveLength(2);
		expect(result.json(1)).toEqual([]);
		expect(result.json(0)).toEqual([expected]);
		expect(result.outputs[0][0].pairedItem).toEqual({ item: 0 });
	});

	it('has two outputs named Users and Invalid, and an optional credential', () => {
		expect(mapper.description.outputNames).toEqual(['Users', 'Invalid']);
		expect(mapper.description.outputs).toHaveLength(2);
		expect(mapper.description.credentials).toEqual([{ name: 'plekApi', required: false }]);
	});
});

describe('Plek Mapper node: invalid records go to "Invalid" while the valid ones map', () => {
	it('routes every kind of invalid CSV row with its reason, field and expression', async () => {
		const rows = [
			csvRow(), // 0 valid
			csvRow({ Personeelsnummer: '' }), // 1 key empty
			csvRow({ Personeelsnummer: '20001', Email: 'a@acme.nl' }), // 2 duplicate key
			csvRow({ Personeelsnummer: '20001', Email: 'b@acme.nl' }), // 3 duplicate key
			csvRow({ Personeelsnummer: '10044', Email: 'not-an-address@' }), // 4 bad e-mail
			csvRow({ Personeelsnummer: '10045', Email: 'c@acme.nl', Functie: 'Nurse\u0007' }), // 5 control char
			csvRow({ Personeelsnummer: '10046', Email: 'd@acme.nl', Functie: 'x'.repeat(3000) }), // 6 too long
			csvRow({ Personeelsnummer: '10047', Email: 'e@acme.nl', Actief: 'misschien' }), // 7 unreadable flag
			csvRow({ Personeelsnummer: '10048', Email: 'f@acme.nl', Uitdienst: '2024-01-01' }), // 8 valid, inactive
		];
		// 7 of 9 invalid on purpose: the share that fails the run is lifted to see each record's reason.
		const result = await run(fieldsParameters(csvFields, { options: { maxInvalidPercent: 100 } }), rows);
		expect(result.json(0).map((r) => r.key)).toEqual(['10042', '10048']);
		expect(result.outputs[0].map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 8 }]);
		expect(result.json(0)[1].active).toBe(false);

		const invalid = result.outputs[1];
		const byItem = new Map(invalid.map((i) => [(i.pairedItem as { item: number }).item, i.json]));
		expect([...byItem.keys()].sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
		expect(byItem.get(1)).toMatchObject({ field: 'key', expression: 'Personeelsnummer', source: rows[1] });
		expect(byItem.get(1)!.reason).toMatch(/mapping key is empty/);
		expect(byItem.get(2)!.reason).toMatch(/duplicate mapping key '20001'/);
		expect(byItem.get(3)!.reason).toMatch(/duplicate mapping key '20001'/);
		expect(byItem.get(4)).toMatchObject({ field: 'userName', expression: '$normalizeEmail(Email)' });
		expect(byItem.get(4)!.reason).toMatch(/not a valid e-mail address/);
		expect(byItem.get(5)).toMatchObject({ field: 'profile.title' });
		expect(byItem.get(5)!.reason).toMatch(/control characters/);
		expect(byItem.get(6)!.reason).toMatch(/title is longer than 2048 characters/);
		expect(byItem.get(7)).toMatchObject({ field: 'active' });
		expect(byItem.get(7)!.reason).toMatch(/\$toBool: cannot read 'misschien' as yes\/no/);
	});

	it('refuses targets Plek does not sync (document mode) per record', async () => {
		const document = `{"key": id, "userName": mail, "profile": $exists(extra) ? extra : {}}`;
		const input = [
			{ id: 'a', mail: 'a@acme.nl' },
			{ id: 'b', mail: 'b@acme.nl', extra: { photos: 'https://x/y.jpg' } },
			{ id: 'c', mail: 'c@acme.nl', extra: { birthDate: '1990-01-01' } },
			{ id: 'd', mail: 'd@acme.nl', extra: { title: ['a', 'b'] } },
		];
		const result = await run({ mode: 'document', document, options: { maxInvalidPercent: 100 } }, input);
		expect(result.json(0).map((r) => r.key)).toEqual(['a']);
		expect(result.json(1).map((r) => r.reason)).toEqual([
			expect.stringMatching(/Plek does not sync profile pictures/),
			expect.stringMatching(/Plek does not sync birthdates/),
			expect.stringMatching(/title must be a single value/),
		]);
	});

	it('stops an endless expression with a bounded-evaluation error and maps the rest', async () => {
		const parameters = fieldsParameters({
			key: 'id',
			userName: 'mail',
			active: "id = 'loop' ? ($f := function($x){$f($x)}; $f(1)) : true",
		}, { options: { timeoutMs: 200, maxInvalidPercent: 100 } });
		const result = await run(parameters, [{ id: 'ok', mail: 'ok@acme.nl' }, { id: 'loop', mail: 'loop@acme.nl' }]);
		expect(result.json(0).map((r) => r.key)).toEqual(['ok']);
		expect(result.json(1)[0]).toMatchObject({ field: 'active' });
		expect(result.json(1)[0].reason).toMatch(/bounded evaluation: the record took longer than 200 ms/);
	});

	it('cannot be used to pollute Object.prototype', async () => {
		const hostile = JSON.parse('{"id": "x", "mail": "x@acme.nl", "__proto__": {"polluted": true}, "a": {"constructor": {"prototype": {"polluted": true}}}}');
		const result = await run({ mode: 'document', document: '$merge([$, {"key": id, "userName": mail}]) ~> $sift(function($v, $k){$k in ["key", "userName"]})' }, [hostile]);
		expect(result.json(0)).toEqual([{ key: 'x', userName: 'x@acme.nl', active: true, profile: {}, createOnly: [], groups: [] }]);
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
	});
});

describe('Plek Mapper node: compile errors and failures', () => {
	const broken = fieldsParameters({ ...csvFields, profile: [{ path: 'name.givenName', expression: "Voornaam & '" }] });

	it('fails at start with the parameter and position of a JSONata syntax error', async () => {
		const error = await runNode(mapper, { parameters: broken, input: [csvRow()] }).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as Error).message).toMatch(/^Profile Fields › name\.givenName: .* at position \d+$/);
		expect((error as NodeOperationError).description).toMatch(/Voornaam & '/);
	});

	it('refuses a profile field Plek does not sync at start, naming it', async () => {
		const parameters = fieldsParameters({ key: 'id', profile: [{ path: 'birthDate', expression: 'geboortedatum' }] });
		await expect(runNode(mapper, { parameters, input: [{ id: 1 }] })).rejects.toThrow(/Profile Fields › birthDate: Plek does not sync birthdates/);
	});

	it('with Continue On Fail, sends every item to Invalid with the compile error instead', async () => {
		const result = await run(broken, [csvRow(), csvRow()], { continueOnFail: true });
		expect(result.json(0)).toEqual([]);
		expect(result.json(1)).toHaveLength(2);
		expect(result.json(1)[0]).toMatchObject({ field: 'mapping', reason: expect.stringMatching(/Profile Fields › name\.givenName/) });
	});

	it('reports unexpected errors per item, honouring Continue On Fail', async () => {
		const exploding = { id: 'x', mail: 'x@acme.nl' } as IDataObject;
		Object.defineProperty(exploding, 'boom', { enumerable: true, get: () => { throw new Error('getter exploded'); } });
		const parameters = fieldsParameters({ key: 'id', userName: 'mail' });
		await expect(runNode(mapper, { parameters, input: [{ id: 'a', mail: 'a@acme.nl' }, exploding] })).rejects.toThrow(/getter exploded/);
		const result = await run(parameters, [{ id: 'a', mail: 'a@acme.nl' }, exploding], { continueOnFail: true });
		expect(result.json(0).map((r) => r.key)).toEqual(['a']);
		expect(result.json(1)[0]).toMatchObject({ field: 'node', reason: 'getter exploded' });
		expect(result.outputs[1][0].pairedItem).toEqual({ item: 1 });
	});

	it('stops when the execution is cancelled', async () => {
		const controller = new AbortController();
		controller.abort();
		await expect(
			runNode(mapper, { parameters: fieldsParameters(csvFields), input: [csvRow()], signal: controller.signal }),
		).rejects.toThrow(/cancelled/);
	});

	it('takes a field path typed by hand as an n8n expression (=path)', async () => {
		const parameters = fieldsParameters({ key: 'id', userName: 'mail', profile: [{ path: '=nickName', expression: 'nick' }] });
		const result = await run(parameters, [{ id: 'a', mail: 'a@acme.nl', nick: 'Jay' }]);
		expect(result.json(0)[0].profile).toEqual({ nickName: 'Jay' });
	});

	it('uses the workflow time zone for $leaveDatePassed unless the Time Zone option is set', async () => {
		// A leave date that is "today" in Pago Pago and already past in Kiritimati.
		const now = new Date();
		// Pago Pago (UTC-11) is always at least a calendar day behind Kiritimati (UTC+14).
		const pagoPago = new Intl.DateTimeFormat('en-CA', { timeZone: 'Pacific/Pago_Pago' }).format(now);
		const parameters = (timeZone?: string) =>
			fieldsParameters({ key: 'id', userName: 'mail', active: '$not($leaveDatePassed(leave))' }, timeZone ? { options: { timeZone } } : {});
		const input = [{ id: 'a', mail: 'a@acme.nl', leave: pagoPago }];
		expect((await run(parameters(), input, { timezone: 'Pacific/Kiritimati' })).json(0)[0].active).toBe(false);
		expect((await run(parameters(), input, { timezone: 'Pacific/Pago_Pago' })).json(0)[0].active).toBe(true);
		expect((await run(parameters('Pacific/Pago_Pago'), input, { timezone: 'Pacific/Kiritimati' })).json(0)[0].active).toBe(true);
		await expect(runNode(mapper, { parameters: parameters('Europe/Utrecht'), input })).rejects.toThrow(
			/Options › Time Zone: unknown IANA time zone 'Europe\/Utrecht'/,
		);
	});
});

describe('Plek Mapper node: Plek schema and dropdowns', () => {
	const credentials = { plekApi: { environmentUrl: 'https://acme.plek.co', authentication: 'accessToken', accessToken: 'secret-token' } };
	const schemas = [
		{
			id: 'urn:ietf:params:scim:schemas:core:2.0:User',
			attributes: [
				{ name: 'userName', type: 'string', mutability: 'readWrite' },
				{ name: 'name', type: 'complex', subAttributes: [{ name: 'givenName', type: 'string' }, { name: 'familyName', type: 'string' }] },
				{ name: 'title', type: 'string' },
				{ name: 'emails', type: 'complex', multiValued: true, subAttributes: [{ name: 'value', type: 'string' }, { name: 'type', type: 'string' }] },
				{ name: 'phoneNumbers', type: 'complex', multiValued: true, subAttributes: [{ name: 'value', type: 'string' }, { name: 'type', type: 'string' }] },
				{ name: 'photos', type: 'complex', multiValued: true, subAttributes: [{ name: 'value', type: 'reference' }] },
				{ name: 'id', type: 'string', mutability: 'readOnly' },
			],
		},
		{
			id: ENTERPRISE,
			attributes: [
				{ name: 'department', type: 'string', description: 'Department' },
				{ name: 'hireDate', type: 'dateTime' },
			],
		},
	];
	const groups = [
		{ id: 'g2', displayName: 'Care' },
		{ id: 'g1', displayName: 'All staff' },
	];
	const plek = jest.fn(async (request: IHttpRequestOptions) => {
		const url = String(request.url);
		const list = (resources: unknown[]) => ({
			schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
			totalResults: resources.length,
			itemsPerPage: resources.length,
			startIndex: 1,
			Resources: resources,
		});
		if (url.endsWith('/Schemas')) return { statusCode: 200, headers: {}, body: list(schemas) };
		// One page holds every group; a list is read until a page comes back empty (issue 23).
		const startIndex = Number((request.qs as { startIndex?: unknown } | undefined)?.startIndex ?? 1);
		if (url.endsWith('/Groups')) return { statusCode: 200, headers: {}, body: list(startIndex > 1 ? [] : groups) };
		if (url.endsWith('/ServiceProviderConfig')) {
			return { statusCode: 200, headers: {}, body: { filter: { supported: true, maxResults: 200 }, bulk: { supported: false } } };
		}
		return { statusCode: 404, headers: {}, body: { status: '404', detail: `no ${url}` } };
	});
	beforeEach(() => plek.mockClear());

	it('offers common SCIM paths and no groups when the node has no credential', async () => {
		const fields = await runLoadOptions(mapper, 'getProfileFields');
		expect(fields.map((f) => f.value)).toEqual(COMMON_PROFILE_FIELDS.map((f) => f.value));
		expect(fields.map((f) => f.value)).toContain('emails[type eq "work"].value');
		expect(await runLoadOptions(mapper, 'getGroups')).toHaveLength(0);
	});

	it("offers Plek's writable, syncable fields and its groups through the credential", async () => {
		const options = { credentials, httpRequestWithAuthentication: plek };
		const fields = await runLoadOptions(mapper, 'getProfileFields', options);
		const values = fields.map((f) => f.value);
		expect(values).toEqual(
			expect.arrayContaining(['name.givenName', 'title', 'emails[type eq "work"].value', 'phoneNumbers[type eq "mobile"].value', `${ENTERPRISE}:department`]),
		);
		for (const refused of ['userName', 'id', 'name', `${ENTERPRISE}:hireDate`, 'photos[type eq "work"].value', 'emails[type eq "work"].type']) {
			expect(values).not.toContain(refused);
		}
		expect(plek).toHaveBeenCalledWith(expect.objectContaining({ url: 'https://acme.plek.co/scim/v2/Schemas' }), 'plekApi', expect.objectContaining({ credentialsDecrypted: expect.objectContaining({ type: 'plekApi' }) }));
		const groupOptions = await runLoadOptions(mapper, 'getGroups', options);
		expect(groupOptions.map((g) => g.value)).toEqual(['All staff', 'Care']);
	});

	it('checks fields against the schema when asked, refusing date-typed and unknown fields at start', async () => {
		const dated = fieldsParameters({ key: 'id', userName: 'mail', profile: [{ path: `${ENTERPRISE}:hireDate`, expression: 'start' }] }, { options: { checkSchema: true } });
		await expect(runNode(mapper, { parameters: dated, input: [{ id: 1 }], credentials, httpRequestWithAuthentication: plek })).rejects.toThrow(
			/Plek does not sync date fields/,
		);
		const unknown = fieldsParameters({ key: 'id', userName: 'mail', profile: [{ path: 'nickName', expression: 'nick' }] }, { options: { checkSchema: true } });
		await expect(runNode(mapper, { parameters: unknown, input: [{ id: 1 }], credentials, httpRequestWithAuthentication: plek })).rejects.toThrow(
			/nickName is not a user attribute in Plek's schema/,
		);
		const known = fieldsParameters({ key: 'id', userName: 'mail', profile: [{ path: 'title', expression: 't' }] }, { options: { checkSchema: true } });
		const result = await run(known, [{ id: 1, mail: 'a@acme.nl', t: 'Nurse' }], { credentials, httpRequestWithAuthentication: plek });
		expect(result.json(0)[0]).toMatchObject({ key: '1', profile: { title: 'Nurse' } });
	});

	it('a Plek without /Schemas (404) turns the schema check off instead of refusing every field', async () => {
		const noSchemas = jest.fn(async (request: IHttpRequestOptions) =>
			String(request.url).endsWith('/Schemas') ? { statusCode: 404, headers: {}, body: { status: '404' } } : await plek(request),
		);
		const parameters = fieldsParameters({ key: 'id', userName: 'mail', profile: [{ path: 'nickName', expression: 'nick' }] }, { options: { checkSchema: true } });
		const result = await run(parameters, [{ id: 1, mail: 'a@acme.nl', nick: 'Jo' }], { credentials, httpRequestWithAuthentication: noSchemas });
		expect(noSchemas).toHaveBeenCalledWith(expect.objectContaining({ url: 'https://acme.plek.co/scim/v2/Schemas' }), 'plekApi', expect.anything());
		expect(result.json(0)[0]).toMatchObject({ key: '1', profile: { nickName: 'Jo' } });
		expect(result.json(1)).toEqual([]);
	});

	it('needs the credential for the schema check', async () => {
		const parameters = fieldsParameters({ key: 'id' }, { options: { checkSchema: true } });
		await expect(runNode(mapper, { parameters, input: [{ id: 1 }] })).rejects.toThrow(/needs a Plek credential/);
	});
});

describe('Plek Mapper node: execution hints about the Invalid output', () => {
	it('says the Invalid output is empty because every record mapped, and warns with the count when some did not', async () => {
		const good = await run(fieldsParameters(csvFields), [csvRow(), csvRow({ Personeelsnummer: '10043', Email: 'b.jansen@acme.nl' })]);
		expect(good.json(1)).toEqual([]);
		expect(good.hints).toEqual([{ type: 'info', location: 'outputPane', message: 'All 2 record(s) mapped: the Invalid output is empty, nothing to fix.' }]);

		// Every record invalid fails the run (see "a changed export is loud"); with Continue On Fail the outputs and hints stay.
		const bad = await run(fieldsParameters({ ...csvFields, key: 'nothing_here' }), [csvRow(), csvRow({ Personeelsnummer: '10043' }), csvRow({ Personeelsnummer: '10044' })], { continueOnFail: true });
		expect(bad.json(1)).toHaveLength(3);
		expect(bad.hints).toContainEqual(expect.objectContaining({ type: 'warning', message: expect.stringMatching(/^3 of 3 record\(s\) could not be mapped/) }));
	});
});
