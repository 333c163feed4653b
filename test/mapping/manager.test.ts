// The Mapper's Manager field: the manager's mapping key in the record (record.manager), normalised like a key.
import { compileMapping, mapRecord, type MappingConfig } from '../../core/mapping';

const fields = (manager: string): MappingConfig => ({ key: 'id', userName: 'mail', active: 'true', manager });
const map = async (config: MappingConfig, source: unknown) => await mapRecord(compileMapping(config), source);
const person = { id: 'E100002', mail: 'niels@delinde.example', managerId: 'E100008', boss: { number: 100008 } };

test('fields mode: the Manager expression gives record.manager', async () => {
	expect(await map(fields('managerId'), person)).toMatchObject({ ok: true, record: { key: 'E100002', manager: 'E100008' } });
	expect(await map(fields('"E" & $string(boss.number)'), person)).toMatchObject({ ok: true, record: { manager: 'E100008' } });
});

test('a number becomes text and spaces are trimmed, as for the mapping key', async () => {
	expect(await map(fields('boss.number'), person)).toMatchObject({ ok: true, record: { manager: '100008' } });
	expect(await map(fields('"  E1  "'), person)).toMatchObject({ ok: true, record: { manager: 'E1' } });
});

test('nothing, null or empty text: no manager in the record; an empty Manager parameter neither', async () => {
	for (const expression of ['noSuchField', 'null', '""', '']) {
		const result = await map(fields(expression), person);
		expect(result.ok).toBe(true);
		expect(result.ok && 'manager' in result.record).toBe(false);
	}
});

test('a value that is not a key fails the record naming the Manager field', async () => {
	expect(await map(fields('boss'), person)).toMatchObject({ ok: false, field: 'manager', reason: expect.stringMatching(/^manager \(the manager's mapping key\) must be text \(or a number\)/) });
});

test('document mode: manager is a record field', async () => {
	const document: MappingConfig = { document: '{"key": id, "userName": mail, "active": true, "manager": managerId}' };
	expect(await map(document, person)).toMatchObject({ ok: true, record: { key: 'E100002', manager: 'E100008' } });
});
