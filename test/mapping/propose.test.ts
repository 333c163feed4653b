// The mapping proposed from the data: each export's proposal, and the proposal's parameters mapped by the real
// engine (every person right, no hand-written expression).
import { compileMapping, mapAll, removeLeadingBom, type FieldsMappingConfig, type MapResult } from '../../core/mapping';
import { columnRef, proposeMapping, type ProposedParameters } from '../../core/mapping/propose';
import { profileColumns } from '../../core/mapping/propose/profile';
import { AD_ENTRIES, AFAS_NAMES, AFAS_ROWS, BAMBOO_ROWS } from './proposeFixtures';
import { NOW } from './fixtures';
import { ENTERPRISE } from '../support/scim';

/** The engine's config from the node parameters the proposal gives (what the Mapper node builds from them). */
function configOf(parameters: ProposedParameters): FieldsMappingConfig {
	return {
		key: parameters.mappingKey,
		userName: parameters.userName,
		active: parameters.active,
		startDate: parameters.startDate,
		manager: parameters.manager,
		profile: parameters.profileFields.field.map((f) => ({ path: f.path, expression: f.expression })),
		groups: parameters.groupRules.rule.map((r) => ({ group: '', groupName: r.groupName, condition: r.condition })),
	};
}

async function mapWithProposal(rows: readonly unknown[]) {
	const proposal = proposeMapping(rows);
	const mapping = compileMapping(configOf(proposal.parameters), { now: NOW, defaultTimeZone: 'Europe/Amsterdam' });
	// The node removes the BOM before mapping; the engine alone does not.
	const results = await mapAll(mapping, removeLeadingBom(rows).items);
	return { proposal, results, records: results.map((r: MapResult) => (r.ok ? r.record : r)) };
}

const field = (proposal: ReturnType<typeof proposeMapping>, name: string) => proposal.fields.find((f) => f.field === name);

describe('columnRef', () => {
	it('backticks column names JSONata cannot read bare', () => {
		expect(columnRef('Medewerker')).toBe('Medewerker');
		expect(columnRef('E-mail werk')).toBe('`E-mail werk`');
		expect(columnRef('Datum_in_dienst')).toBe('Datum_in_dienst');
		expect(columnRef('in')).toBe('`in`');
		expect(columnRef('2fa')).toBe('`2fa`');
	});
});

describe('column profiles', () => {
	it('reads shapes: unique numbers, e-mail addresses, dd-mm-yyyy dates, the BOM removed', () => {
		const profiles = profileColumns(removeLeadingBom(AFAS_ROWS).items);
		const byName = new Map(profiles.map((p) => [p.name, p]));
		expect(byName.get('Medewerker')).toMatchObject({ unique: true, integer: 1, filled: 1 });
		expect(byName.get('E-mail werk')).toMatchObject({ email: 1, key: 'emailwerk' });
		expect(byName.get('Datum in dienst')?.dateFormat).toBe('dd-mm-yyyy');
		expect(byName.get('Datum uit dienst')).toMatchObject({ dateFormat: 'dd-mm-yyyy', count: 1 });
		expect(profileColumns([{ d: '03/25/2024' }, { d: '01/02/2024' }])[0].dateFormat).toBe('mm/dd/yyyy');
		expect(profileColumns([{ d: '20240325' }])[0].dateFormat).toBe('yyyymmdd');
	});
});

describe('AFAS-style export: Dutch headers, BOM, dd-mm-yyyy, particles, partner names', () => {
	it('proposes every field with the column, why and a confidence', () => {
		const proposal = proposeMapping(AFAS_ROWS);
		expect(proposal.source).toBe('dutch');
		expect(proposal.parameters).toMatchObject({
			mappingKey: 'Medewerker',
			userName: '$normalizeEmail(`E-mail werk`)',
			active: '$not($leaveDatePassed(`Datum uit dienst`))',
			startDate: '$startDate(`Datum in dienst`)',
			manager: 'Leidinggevende',
		});
		const names = '$dutchName((Roepnaam ? Roepnaam : Voorletters), Voorvoegsel, Achternaam, `Voorvoegsel partner`, `Naam partner`, Naamgebruik)';
		expect(proposal.parameters.profileFields.field).toEqual([
			{ path: 'name.givenName', expression: `${names}.givenName`, apply: 'always' },
			{ path: 'name.familyName', expression: `${names}.familyName`, apply: 'always' },
			{ path: 'displayName', expression: `${names}.displayName`, apply: 'always' },
			{ path: 'emails[type eq "work"].value', expression: '$normalizeEmail(`E-mail werk`)', apply: 'always' },
			{ path: 'title', expression: 'Functie', apply: 'always' },
			{ path: `${ENTERPRISE}:department`, expression: 'Afdeling', apply: 'always' },
			{ path: `${ENTERPRISE}:employeeNumber`, expression: 'Medewerker', apply: 'always' },
		]);
		expect(proposal.parameters.groupRules.rule).toEqual([{ groupFrom: 'field', groupName: '"Afdeling " & Afdeling', condition: '' }]);
		expect(field(proposal, 'Mapping Key')).toMatchObject({ columns: ['Medewerker'], confidence: 'high' });
		expect(field(proposal, 'Mapping Key')!.why).toMatch(/unique for every record, filled in 100%.*the manager column Leidinggevende holds these values/);
		expect(field(proposal, 'Manager')!.why).toMatch(/100% of its values are mapping keys \(Medewerker\)/);
		expect(field(proposal, 'Active')!.why).toMatch(/Datum uit dienst is a leave date \(dd-mm-yyyy\)/);
		expect(field(proposal, 'Profile Fields › name.familyName')!.why).toMatch(/naamgebruik code \(Naamgebruik: B, P, BP, PB\)/);
		expect(proposal.unused).toEqual([]);
		expect(proposal.notes).toEqual([]);
	});

	it('maps every person right with the proposal alone', async () => {
		const { records } = await mapWithProposal(AFAS_ROWS);
		for (const record of records) {
			expect(record).toHaveProperty('key');
			const r = record as { key: string; profile: Record<string, unknown> };
			const [given, family, display] = AFAS_NAMES[r.key];
			expect([r.key, r.profile['name.givenName'], r.profile['name.familyName'], r.profile.displayName]).toEqual([r.key, given, family, display]);
		}
		expect(records.map((r) => (r as { active: boolean }).active)).toEqual([true, true, true, true, true, false]);
		expect(records[1]).toMatchObject({
			key: '10002',
			userName: 'a.devries@gemeente.example',
			manager: '10001',
			startDate: '2019-08-15',
			groups: ['Afdeling Burgerzaken'],
			profile: { title: 'Medewerker balie', [`${ENTERPRISE}:department`]: 'Burgerzaken', [`${ENTERPRISE}:employeeNumber`]: '10002' },
		});
		expect(records[0]).not.toHaveProperty('manager');
	});

	it('with underscores instead of spaces (a customer GetConnector), the same proposal without backticks', () => {
		const rows = AFAS_ROWS.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k.replace(/^\uFEFF/, '').replace(/[ -]/g, '_'), v])));
		const proposal = proposeMapping(rows);
		expect(proposal.parameters.userName).toBe('$normalizeEmail(E_mail_werk)');
		expect(proposal.parameters.startDate).toBe('$startDate(Datum_in_dienst)');
		expect(proposal.parameters.profileFields.field[1].expression).toContain('Voorvoegsel_partner, Naam_partner, Naamgebruik');
	});

	it('chooses the person number as key when the manager column holds person numbers', () => {
		const rows = (removeLeadingBom(AFAS_ROWS).items as Array<Record<string, string>>).map((row, i) => ({ Persoonsnummer: `P${i + 1}`, ...row, Leidinggevende: row.Leidinggevende ? `P${Number(row.Leidinggevende) - 10000}` : '' }));
		const proposal = proposeMapping(rows);
		expect(proposal.parameters.mappingKey).toBe('Persoonsnummer');
		expect(proposal.parameters.manager).toBe('Leidinggevende');
		expect(field(proposal, `Profile Fields › ${ENTERPRISE}:employeeNumber`)?.expression).toBe('Medewerker');
	});
});

describe('BambooHR-like export: English headers', () => {
	it('proposes English names as written, a status flag and a termination date, a month-safe ISO start date', () => {
		const proposal = proposeMapping(BAMBOO_ROWS);
		expect(proposal.source).toBe('english');
		expect(proposal.parameters).toMatchObject({
			mappingKey: 'employeeNumber',
			userName: '$normalizeEmail(workEmail)',
			active: '$toBool(status) and $not($leaveDatePassed(terminationDate))',
			startDate: '$startDate(hireDate)',
			manager: 'supervisorId',
		});
		const byPath = Object.fromEntries(proposal.parameters.profileFields.field.map((f) => [f.path, f.expression]));
		expect(byPath).toMatchObject({
			'name.givenName': 'firstName',
			'name.familyName': 'lastName',
			displayName: '$joinNonEmpty([firstName, lastName])',
			title: 'jobTitle',
			[`${ENTERPRISE}:department`]: 'department',
			'phoneNumbers[type eq "mobile"].value': 'mobilePhone',
		});
		expect(proposal.parameters.groupRules.rule[0].groupName).toBe('"Department " & department');
	});

	it('maps every person right with the proposal alone (McDonald and O\'Brien kept as written)', async () => {
		const { records } = await mapWithProposal(BAMBOO_ROWS);
		expect(records.map((r) => {
			const x = r as { key: string; userName: string; active: boolean; manager?: string; startDate?: string; profile: Record<string, unknown>; groups: string[] };
			return [x.key, x.userName, x.active, x.manager, x.startDate, x.profile['name.familyName'], x.groups];
		})).toEqual([
			['E-101', 'maria.lopez@acme.example', true, undefined, '2016-04-01', 'Lopez', ['Department Management']],
			['E-102', 'tom.mcdonald@acme.example', true, 'E-101', '2019-09-16', 'McDonald', ['Department R&D']],
			['E-103', 'sara.obrien@acme.example', false, 'E-102', '2021-01-04', "O'Brien", ['Department R&D']],
			['E-104', 'lee.chen@acme.example', true, 'E-102', '2030-03-01', 'Chen', ['Department R&D']],
		]);
	});

	it('upper-case names get $nameCase; a month-first date gets its format', () => {
		const rows = [
			{ id: '1', first_name: 'JAN', last_name: 'DE VRIES', email: 'a@acme.example', start_date: '03/25/2024' },
			{ id: '2', first_name: 'PIET', last_name: 'BAKKER', email: 'b@acme.example', start_date: '01/02/2024' },
		];
		const proposal = proposeMapping(rows);
		expect(proposal.parameters.startDate).toBe('$startDate(start_date, "mm/dd/yyyy")');
		expect(proposal.parameters.profileFields.field[1]).toMatchObject({ path: 'name.familyName', expression: '$nameCase(last_name)' });
	});
});

describe('Active Directory entries', () => {
	it('proposes objectGUID as key, the account state, and notes the manager DN', async () => {
		const proposal = proposeMapping(AD_ENTRIES);
		expect(proposal.source).toBe('activeDirectory');
		expect(proposal.parameters).toMatchObject({
			mappingKey: '$adGuid(objectGUID)',
			userName: '$normalizeEmail(mail)',
			active: '$adActive(userAccountControl, accountExpires)',
			manager: '',
		});
		expect(proposal.notes.join('\n')).toMatch(/manager holds the manager's DN, not their key: look the DN up/);
		const byPath = Object.fromEntries(proposal.parameters.profileFields.field.map((f) => [f.path, f.expression]));
		expect(byPath).toMatchObject({ 'name.givenName': 'givenName', 'name.familyName': 'sn', displayName: 'displayName', [`${ENTERPRISE}:employeeNumber`]: 'employeeID' });
		const { records } = await mapWithProposal(AD_ENTRIES);
		expect(records.map((r) => [(r as { key: string }).key, (r as { active: boolean }).active])).toEqual([
			['3b1a04e0-4d5c-4f6e-8a9b-0c1d2e3f4a5b', true],
			['4c2b15f1-5e6d-5a7f-9bac-1d2e3f4a5b6c', true],
			['5d3c2602-6f7e-6b8a-acbd-2e3f4a5b6c7d', false],
		]);
	});
});

describe('what the proposal cannot decide', () => {
	it('says so instead of guessing: no columns, no e-mail, no unique key, a manager that is not a key', () => {
		expect(proposeMapping([]).notes[0]).toMatch(/no columns/);
		const rows = [{ naam: 'A', afdeling: 'X', manager: 'Z' }, { naam: 'A', afdeling: 'X', manager: 'Z' }];
		const notes = proposeMapping(rows).notes.join('\n');
		expect(notes).toMatch(/No column identifies every person uniquely/);
		expect(notes).toMatch(/No column holds e-mail addresses/);
		expect(notes).toMatch(/No leave date or active flag found/);
		expect(notes).toMatch(/manager does not hold the mapping key; Manager is left empty/);
	});
});

describe('Plek Mapper node: Propose Mapping mode', () => {
	it('outputs one item with the fields, notes and a pasteable Plek Mapper whose parameters map every person', async () => {
		const { PlekMapper } = await import('../../nodes/PlekMapper/PlekMapper.node');
		const { runNode } = await import('../support/nodeHarness');
		const run = await runNode(new PlekMapper(), { parameters: { mode: 'propose' }, input: AFAS_ROWS });
		expect(run.outputs[0]).toHaveLength(1);
		expect(run.outputs[1]).toEqual([]);
		expect(run.outputs[0][0].pairedItem).toEqual(AFAS_ROWS.map((_, item) => ({ item })));
		const item = run.json(0)[0] as { fields: Array<{ field: string }>; mapperNode: string; records: number; howToUse: string };
		expect(item.records).toBe(6);
		expect(item.fields.map((f) => f.field)).toContain('Mapping Key');
		expect(item.howToUse).toMatch(/paste it on the canvas/);
		const pasted = JSON.parse(item.mapperNode) as { nodes: Array<{ type: string; name: string; parameters: Record<string, unknown> }>; connections: object };
		expect(pasted.nodes).toHaveLength(1);
		expect(pasted.nodes[0]).toMatchObject({ type: 'n8n-nodes-plek.plekMapper', name: 'Plek Mapper (proposed)' });
		expect(run.hints).toEqual([expect.objectContaining({ type: 'info', message: expect.stringMatching(/^Proposed 13 field\(s\) from 6 record\(s\); check Group Rules \(not high confidence\)\. Paste mapperNode/) })]);
		// The pasted node, run on the same export: everyone maps (the BOM removed by the node itself).
		const mapped = await runNode(new PlekMapper(), { parameters: pasted.nodes[0].parameters as never, input: AFAS_ROWS });
		expect(mapped.json(1)).toEqual([]);
		expect(mapped.json(0).map((r) => [r.key, (r.profile as Record<string, unknown>)['name.familyName']])).toEqual(
			Object.entries(AFAS_NAMES).map(([key, names]) => [key, names[1]]),
		);
	});
});

describe('AFAS standard connector (English field ids)', () => {
	it('reads EmployeeId, EmailWork, the name parts with PrefixPartnerName/PartnerName/NameUse, and AFAS date-times', async () => {
		const rows = [
			{ EmployeeId: '501', FirstName: 'Jan', Initials: 'J.', Prefix: 'van', LastName: 'Dam', PrefixPartnerName: 'de', PartnerName: 'Wit', NameUse: 'BP', EmailWork: 'j.vandam@afas.example', DepartmentDescription: 'Zorg', FunctionDescription: 'Verpleegkundige', ManagerEmployeeId: '', EmploymentStartDate: '2019-03-01T00:00:00Z', EmploymentEndDate: null },
			{ EmployeeId: '502', FirstName: 'Ria', Initials: 'R.', Prefix: '', LastName: 'Bos', PrefixPartnerName: '', PartnerName: '', NameUse: 'B', EmailWork: 'r.bos@afas.example', DepartmentDescription: 'Zorg', FunctionDescription: 'Teamleider', ManagerEmployeeId: '501', EmploymentStartDate: '2027-01-04T00:00:00Z', EmploymentEndDate: null },
		];
		const proposal = proposeMapping(rows);
		expect(proposal.parameters).toMatchObject({ mappingKey: 'EmployeeId', userName: '$normalizeEmail(EmailWork)', manager: 'ManagerEmployeeId', startDate: '$startDate(EmploymentStartDate)' });
		// Nobody has left yet, but the leave-date column is what will say so.
		expect(proposal.parameters.active).toBe('$not($leaveDatePassed(EmploymentEndDate))');
		expect(field(proposal, 'Active')).toMatchObject({ confidence: 'medium', why: expect.stringMatching(/empty in this export: nobody has left yet/) });
		const { records } = await mapWithProposal(rows);
		expect(records.map((r) => {
			const x = r as { key: string; startDate?: string; manager?: string; profile: Record<string, unknown> };
			return [x.key, x.profile.displayName, x.profile.title, x.profile[`${ENTERPRISE}:department`], x.startDate, x.manager];
		})).toEqual([
			['501', 'Jan van Dam-de Wit', 'Verpleegkundige', 'Zorg', '2019-03-01', undefined],
			['502', 'Ria Bos', 'Teamleider', 'Zorg', '2027-01-04', '501'],
		]);
	});
});

describe('the proposal speaks the node\'s parameters', () => {
	it('every proposed parameter, profile field and group rule value is one the Plek Mapper node declares', async () => {
		const { PlekMapper } = await import('../../nodes/PlekMapper/PlekMapper.node');
		const { COMMON_PROFILE_FIELDS } = await import('../../nodes/PlekMapper/profileFields');
		const properties = new PlekMapper().description.properties;
		const names = new Set(properties.map((p) => p.name));
		for (const rows of [AFAS_ROWS, BAMBOO_ROWS, AD_ENTRIES]) {
			const { parameters } = proposeMapping(rows);
			for (const name of Object.keys(parameters)) expect([name, names.has(name)]).toEqual([name, true]);
			const mode = properties.find((p) => p.name === 'mode')!.options!.map((o) => (o as { value: string }).value);
			expect(mode).toContain(parameters.mode);
			const offered = new Set(COMMON_PROFILE_FIELDS.map((o) => o.value));
			for (const field of parameters.profileFields.field) expect([field.path, offered.has(field.path)]).toEqual([field.path, true]);
			const rule = properties.find((p) => p.name === 'groupRules')!.options![0] as { values: Array<{ name: string }> };
			for (const key of Object.keys(parameters.groupRules.rule[0] ?? {})) expect(rule.values.map((v) => v.name)).toContain(key);
		}
	});
});
