// The record's optional leaveDate (issue 25): the record contract's YYYY-MM-DD rule (core/record, and the JSON
// Schema saying the same), the Mapper's Leave Date field (Fields mode, Document mode, the node) and the fast path.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import jsonata from 'jsonata';

import { compileMapping, mapRecord } from '../../core/mapping';
import { compileFastPath, DEFER } from '../../core/mapping/fastpath';
import { mapperHelpers } from '../../core/mapping/helpers';
import { parseUserRecord, RECORD_FIELDS } from '../../core/record';
import { PlekMapper } from '../../nodes/PlekMapper/PlekMapper.node';
import { runNode } from '../support/nodeHarness';
import { NOW } from './fixtures';
import { checkSchema } from './schemaCheck';

const schema = JSON.parse(readFileSync(join(__dirname, '../../docs/plek-user-record.schema.json'), 'utf8'));
const base = { key: 'k', userName: 'k@acme.nl', active: true };

describe('the record contract: leaveDate', () => {
	test('YYYY-MM-DD, or null / empty / absent for none; a record field the schema knows', () => {
		expect(RECORD_FIELDS.has('leaveDate')).toBe(true);
		expect(parseUserRecord({ ...base, leaveDate: '2027-03-31' })).toMatchObject({ ok: true, record: { leaveDate: '2027-03-31' } });
		for (const none of [null, '', undefined]) {
			expect(parseUserRecord({ ...base, leaveDate: none })).toMatchObject({ ok: true, record: { leaveDate: undefined } });
		}
		expect(checkSchema(schema, { ...base, leaveDate: '2027-03-31' })).toEqual([]);
		expect(checkSchema(schema, { ...base, leaveDate: null })).toEqual([]);
	});

	test('a malformed leave date makes the record invalid, naming the field, the value and the helper that converts it', () => {
		for (const bad of ['31-03-2027', '2027-02-30', '2027-03-31T00:00:00Z', 20270331, true]) {
			const result = parseUserRecord({ ...base, leaveDate: bad });
			expect(result.ok).toBe(false);
			const shown = typeof bad === 'string' ? `'${bad}'` : typeof bad;
			expect(!result.ok && result.problems).toEqual([
				`"leaveDate" must be a date written YYYY-MM-DD (got ${shown}); in the Plek Mapper convert it with $toIsoDate(), e.g. $toIsoDate(\`Datum uit dienst\`) (reads 31-03-2027 and 2027-03-31)`,
			]);
		}
		// The schema refuses the texts too (its pattern cannot tell 30 February from a date).
		expect(checkSchema(schema, { ...base, leaveDate: '31-03-2027' })).not.toEqual([]);
		expect(checkSchema(schema, { ...base, leaveDate: 20270331 })).not.toEqual([]);
	});
});

describe('the Mapper writes leaveDate', () => {
	const fields = { key: 'id', userName: 'mail', active: 'true' };

	test('Fields mode: Leave Date through $toIsoDate reads dd-mm-yyyy and ISO; empty means none', async () => {
		const mapping = compileMapping({ ...fields, leaveDate: '$toIsoDate(`Datum uit dienst`)' }, { now: NOW });
		const row = (leave: unknown) => ({ id: '1', mail: 'a@acme.nl', 'Datum uit dienst': leave });
		expect(await mapRecord(mapping, row('31-03-2027'))).toMatchObject({ ok: true, record: { leaveDate: '2027-03-31' } });
		expect(await mapRecord(mapping, row('2027-03-31'))).toMatchObject({ ok: true, record: { leaveDate: '2027-03-31' } });
		for (const none of ['', null, undefined]) {
			const result = await mapRecord(mapping, row(none));
			expect(result.ok && 'leaveDate' in result.record).toBe(false);
		}
	});

	test('Fields mode: a leave date the helper cannot read, or a value that is no YYYY-MM-DD, makes the record invalid naming the field', async () => {
		const helper = await mapRecord(compileMapping({ ...fields, leaveDate: '$toIsoDate(leaves)' }), { id: '1', mail: 'a@acme.nl', leaves: 'end of March' });
		expect(helper).toMatchObject({ ok: false, field: 'leaveDate', expression: '$toIsoDate(leaves)' });
		expect(!helper.ok && helper.reason).toMatch(/cannot read 'end of March' as a date/);
		const raw = await mapRecord(compileMapping({ ...fields, leaveDate: 'leaves' }), { id: '1', mail: 'a@acme.nl', leaves: '31-03-2027' });
		expect(raw).toMatchObject({ ok: false, field: 'leaveDate', expression: 'leaves' });
		expect(!raw.ok && raw.reason).toContain('"leaveDate" must be a date written YYYY-MM-DD (got \'31-03-2027\'); in the Plek Mapper convert it with $toIsoDate()');
	});

	test('Document mode: leaveDate is a record field', async () => {
		const mapping = compileMapping({ document: '{"key": id, "userName": mail, "active": true, "leaveDate": $toIsoDate(leaves)}' });
		expect(await mapRecord(mapping, { id: '1', mail: 'a@acme.nl', leaves: '31/03/2027' })).toMatchObject({ ok: true, record: { leaveDate: '2027-03-31' } });
		const bad = await mapRecord(compileMapping({ document: '{"key": id, "userName": mail, "active": true, "leaveDate": leaves}' }), { id: '1', mail: 'a@acme.nl', leaves: 'soon' });
		expect(bad).toMatchObject({ ok: false, field: 'leaveDate' });
	});

	test('the Leave Date expression is answered by the fast path on readable dates and left to jsonata on others', () => {
		const fast = compileFastPath(jsonata('$toIsoDate(`Datum uit dienst`)').ast(), mapperHelpers(NOW, 'Europe/Amsterdam'));
		expect(fast).toBeDefined();
		expect(fast!({ 'Datum uit dienst': '31-03-2027' })).toBe('2027-03-31');
		expect(fast!({ 'Datum uit dienst': 'soon' })).toBe(DEFER);
	});

	test('the node: Leave Date is a Fields-mode parameter; the record carries it, an invalid one goes to Invalid naming the field', async () => {
		const run = await runNode(new PlekMapper(), {
			parameters: { mode: 'fields', mappingKey: 'id', userName: 'mail', active: 'true', leaveDate: '$toIsoDate(leaves)', options: { maxInvalidPercent: 100 } },
			input: [
				{ id: '1', mail: 'a@acme.nl', leaves: '31-03-2027' },
				{ id: '2', mail: 'b@acme.nl', leaves: 'someday' },
			],
		});
		expect(run.json(0)).toEqual([expect.objectContaining({ key: '1', leaveDate: '2027-03-31' })]);
		expect(run.json(1)).toEqual([expect.objectContaining({ field: 'leaveDate' })]);
	});
});
