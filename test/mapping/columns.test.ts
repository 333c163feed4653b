// Columns that are not there are named: the columns the rules read, the nearest existing one, the invisible
// character that makes two names look alike; a BOM on the first column is removed by the Mapper and said once;
// an export whose columns changed fails the run.
import jsonata from 'jsonata';
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import {
	compileMapping,
	diagnoseColumns,
	explainFailures,
	findMissingColumns,
	invalidShare,
	mapAll,
	nearestColumn,
	referencedColumns,
	removeLeadingBom,
	withoutLeadingBom,
} from '../../core/mapping';
import { PlekMapper } from '../../nodes/PlekMapper/PlekMapper.node';
import { runNode } from '../support/nodeHarness';

const columnsOf = (expression: string) => referencedColumns(jsonata(expression).ast()).sort();

describe('referencedColumns: the top-level fields an expression reads', () => {
	it.each([
		['Medewerker', ['Medewerker']],
		['`E-mail werk`', ['E-mail werk']],
		['$nameCase(Achternaam)', ['Achternaam']],
		['$joinNonEmpty([$lowercase(Voorvoegsel), $nameCase(Achternaam)])', ['Achternaam', 'Voorvoegsel']],
		["Afdeling = 'Zorg' ? 'Zorg' : Team", ['Afdeling', 'Team']],
		['$.Medewerker', ['Medewerker']],
		['{"key": id, "userName": mail}', ['id', 'mail']],
		// Only the head of a path is a column; names inside a filter or a later step read the nested value.
		['address.city', ['address']],
		["emails[type = 'work'].value", ['emails']],
		['$map(tags, function($t){ $t.label })', ['tags']],
		['"Care"', []],
	])('%s reads %j', (expression, expected) => {
		expect(columnsOf(expression)).toEqual(expected);
	});
});

describe('nearestColumn and findMissingColumns', () => {
	const columns = ['\uFEFFMedewerker', 'Roepnaam', 'Achternaam', 'E-mail werk', 'Afdeling\u00A0', 'Functie ', 'Datum\u200Bin dienst'];

	it('finds the column that differs only by an invisible character, case or spacing', () => {
		expect(nearestColumn('Medewerker', columns)).toBe('\uFEFFMedewerker');
		expect(nearestColumn('Afdeling', columns)).toBe('Afdeling\u00A0');
		expect(nearestColumn('Functie', columns)).toBe('Functie ');
		expect(nearestColumn('Datum_in_dienst', columns)).toBe('Datum\u200Bin dienst');
		expect(nearestColumn('email werk', columns)).toBe('E-mail werk');
	});

	it('finds a near spelling, and nothing for an unrelated name', () => {
		expect(nearestColumn('Achtrenaam', columns)).toBe('Achternaam');
		expect(nearestColumn('Roepnam', columns)).toBe('Roepnaam');
		expect(nearestColumn('objectGUID', columns)).toBeUndefined();
	});

	it('names the BOM, the NBSP, the zero-width space and the trailing space, with the columns that exist', () => {
		const items = [Object.fromEntries(columns.map((c) => [c, 'x']))];
		const missing = findMissingColumns(['Medewerker', 'Afdeling', 'Functie', 'Datum in dienst', 'Roepnaam'], items);
		expect(missing.map((m) => [m.column, m.invisible])).toEqual([
			['Medewerker', 'a byte-order mark (U+FEFF)'],
			['Afdeling', 'a non-breaking space (U+00A0)'],
			['Functie', 'a trailing space'],
			['Datum in dienst', 'a zero-width space (U+200B)'],
		]);
		expect(missing[0].message).toContain('column `Medewerker` is in no input item');
		expect(missing[0].message).toContain('`\\uFEFFMedewerker` looks the same but has a byte-order mark (U+FEFF)');
		expect(missing[0].message).toContain('The items have: `\\uFEFFMedewerker`, `Roepnaam`, `Achternaam`, `E-mail werk`, `Afdeling\\u00A0`, `Functie `');
	});

	it('says "did you mean" for a misspelt column, and finds nothing missing when one item has it', () => {
		const items = [{ Achternaam: 'Berg' }, { Achternaam: 'Vries', Tussenvoegsel: 'de' }];
		const [missing] = findMissingColumns(['Achtrenaam'], items);
		expect(missing.message).toMatch(/^column `Achtrenaam` is in no input item\. Did you mean `Achternaam`\? The items have: `Achternaam`, `Tussenvoegsel`\.$/);
		expect(findMissingColumns(['Tussenvoegsel', 'Achternaam'], items)).toEqual([]);
	});
});

describe('byte-order mark on the first column', () => {
	it('is removed, keeping the column order and values', () => {
		const cleaned = withoutLeadingBom({ '\uFEFFMedewerker': '10001', Roepnaam: 'Jan' });
		expect(cleaned?.column).toBe('Medewerker');
		expect(Object.keys(cleaned!.item)).toEqual(['Medewerker', 'Roepnaam']);
		expect(cleaned!.item.Medewerker).toBe('10001');
	});

	it('is left alone when it is not at the start of the first column, or the clean name is taken', () => {
		expect(withoutLeadingBom({ Roepnaam: 'Jan', '\uFEFFMedewerker': '1' })).toBeUndefined();
		expect(withoutLeadingBom({ '\uFEFFMedewerker': '1', Medewerker: '2' })).toBeUndefined();
		expect(withoutLeadingBom({ Medewerker: '1' })).toBeUndefined();
	});

	it('counts the items it cleaned', () => {
		const result = removeLeadingBom([{ '\uFEFFid': 1 }, { '\uFEFFid': 2 }, { id: 3 }, 'not an object']);
		expect(result.count).toBe(2);
		expect(result.column).toBe('id');
		expect(result.items).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }, 'not an object']);
	});
});

describe('diagnoseColumns and explainFailures', () => {
	const mapping = compileMapping({
		key: 'Medewerker',
		userName: "$normalizeEmail('E-mail werk')",
		profile: [{ path: 'title', expression: 'Functie' }],
	});
	const items = [{ '\uFEFFMedewerker': '10001', 'E-mail werk': 'j.jansen@acme.nl', Functie: 'Nurse' }];

	it("adds the column's diagnosis to the failures of the expressions that read it", async () => {
		const diagnosis = diagnoseColumns(mapping, items);
		expect(diagnosis.expected).toEqual(['Medewerker', 'Functie']);
		expect(diagnosis.missing.map((m) => [m.column, m.readBy])).toEqual([['Medewerker', ['mapping key']]]);
		expect(diagnosis.writtenAsText).toEqual([{ column: 'E-mail werk', readBy: ['user name'] }]);
		const backticked = compileMapping({ key: 'Medewerker', userName: '$normalizeEmail(`E-mail werk`)' });
		const [failure] = explainFailures(backticked, diagnoseColumns(backticked, items), await mapAll(backticked, items));
		expect(failure).toMatchObject({ ok: false, field: 'key' });
		expect(failure.ok === false && failure.reason).toMatch(/mapping key is empty.*Note: column `Medewerker` is in no input item.*byte-order mark/);
	});

	it('says to use backticks when a column name is written as quoted text', async () => {
		const cleaned = removeLeadingBom(items).items;
		const diagnosis = diagnoseColumns(mapping, cleaned);
		expect(diagnosis.missing).toEqual([]);
		const [failure] = explainFailures(mapping, diagnosis, await mapAll(mapping, cleaned));
		expect(failure.ok === false && failure.reason).toMatch(/not a valid e-mail address.*'E-mail werk' is text here, not the column: .*backticks, `E-mail werk`/);
	});
});

describe('invalidShare', () => {
	const mapping = compileMapping({ key: 'Medewerker', userName: 'Email' });
	const items = [{ Personeelsnummer: '1', Email: 'a@acme.nl' }];
	const diagnosis = diagnoseColumns(mapping, items);

	it('fails when all records or more than the share are invalid, naming expected and found columns', () => {
		const all = invalidShare(5, 5, 20, diagnosis, items);
		expect(all.tooMany).toBe(true);
		expect(all.message).toBe('All 5 records are invalid: the input has no column `Medewerker`');
		expect(all.description).toContain('The rules read the columns `Medewerker`, `Email`; the input items have `Personeelsnummer`, `Email`.');
		expect(invalidShare(10, 3, 20, diagnosis, items).message).toMatch(/^3 of 10 records \(30%\) are invalid, more than the 20% allowed/);
	});

	it('lets a share at or under the limit pass, and 100 fails only when every record is invalid', () => {
		expect(invalidShare(10, 2, 20, diagnosis, items).tooMany).toBe(false);
		expect(invalidShare(10, 9, 100, diagnosis, items).tooMany).toBe(false);
		expect(invalidShare(10, 10, 100, diagnosis, items).tooMany).toBe(true);
		expect(invalidShare(0, 0, 20, diagnosis, items).tooMany).toBe(false);
	});
});

describe('Plek Mapper node: columns and changed exports', () => {
	const parameters = (extra: INodeParameters = {}): INodeParameters => ({
		mode: 'fields',
		mappingKey: 'Medewerker',
		userName: '$normalizeEmail(`E-mail werk`)',
		active: 'true',
		profileFields: { field: [{ path: 'title', expression: 'Functie', apply: 'always' }] },
		...extra,
	});
	const bomRow = (id: string, email: string): IDataObject => ({ '\uFEFFMedewerker': id, 'E-mail werk': email, Functie: 'Nurse' });

	it('removes the BOM from the first column, maps every record, and says so once', async () => {
		const result = await runNode(new PlekMapper(), { parameters: parameters(), input: [bomRow('1', 'a@acme.nl'), bomRow('2', 'b@acme.nl')] });
		expect(result.json(0).map((r) => r.key)).toEqual(['1', '2']);
		const bomHints = (result.hints ?? []).filter((h) => /byte-order mark/.test(h.message));
		expect(bomHints).toHaveLength(1);
		expect(bomHints[0].message).toMatch(/first column name, `Medewerker`, in 2 item\(s\).*Exclude Byte Order Mark/);
	});

	it('fails the run when the columns were renamed, naming the expected and found columns', async () => {
		const renamed = [{ Personeelsnummer: '1', 'E-mail': 'a@acme.nl', Functie: 'Nurse' }, { Personeelsnummer: '2', 'E-mail': 'b@acme.nl', Functie: 'Cook' }];
		const error = (await runNode(new PlekMapper(), { parameters: parameters(), input: renamed }).catch((e: unknown) => e)) as NodeOperationError;
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe('All 2 records are invalid: the input has no column `Medewerker`, `E-mail werk`');
		expect(error.description).toContain('the input items have `Personeelsnummer`, `E-mail`, `Functie`');
		expect(error.description).toContain('Did you mean `E-mail`?');
	});

	it('fails over the share, passes at it, and with Continue On Fail routes to Invalid with a danger notice', async () => {
		const rows = [1, 2, 3, 4, 5].map((n) => ({ Medewerker: String(n), 'E-mail werk': `p${n}@acme.nl`, Functie: 'Nurse' }));
		const oneBad = [...rows.slice(0, 4), { ...rows[4], 'E-mail werk': 'broken@' }];
		const twoBad = [...rows.slice(0, 3), { ...rows[3], 'E-mail werk': 'x@' }, { ...rows[4], 'E-mail werk': 'y@' }];
		await expect(runNode(new PlekMapper(), { parameters: parameters(), input: oneBad })).resolves.toBeDefined();
		await expect(runNode(new PlekMapper(), { parameters: parameters(), input: twoBad })).rejects.toThrow(/^2 of 5 records \(40%\) are invalid, more than the 20% allowed/);
		await expect(runNode(new PlekMapper(), { parameters: parameters({ options: { maxInvalidPercent: 50 } }), input: twoBad })).resolves.toBeDefined();
		const kept = await runNode(new PlekMapper(), { parameters: parameters(), input: twoBad, continueOnFail: true });
		expect(kept.json(1)).toHaveLength(2);
		expect(kept.hints).toContainEqual(expect.objectContaining({ type: 'danger', message: expect.stringMatching(/^2 of 5 records/) }));
	});

	it('names a missing column read by an optional field in a warning, though every record mapped', async () => {
		const rows = [{ Medewerker: '1', 'E-mail werk': 'a@acme.nl', Functie_: 'Nurse' }];
		const result = await runNode(new PlekMapper(), { parameters: parameters(), input: rows });
		expect(result.json(0)).toHaveLength(1);
		expect(result.hints).toContainEqual(expect.objectContaining({ type: 'warning', message: expect.stringMatching(/^profile field title: column `Functie` is in no input item\. The column `Functie_`|Did you mean `Functie_`/) }));
	});

	it('says to use backticks when a compile error comes from a column name with spaces', async () => {
		const error = (await runNode(new PlekMapper(), {
			parameters: parameters({ userName: '$normalizeEmail(E-mail werk)' }),
			input: [{ Medewerker: '1', 'E-mail werk': 'a@acme.nl' }],
		}).catch((e: unknown) => e)) as NodeOperationError;
		expect(error.description).toContain('A column whose name has spaces or other signs is read in backticks: `E-mail werk`');
	});
});
