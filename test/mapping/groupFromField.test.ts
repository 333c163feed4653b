// Group rules named by a field (Fields mode): one rule covers every department. The name expression's result is
// the group: text, a list of texts, or nothing; anything else makes the record invalid naming the rule.
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { compileMapping, mapRecord, MappingCompileError } from '../../core/mapping';
import { PlekMapper } from '../../nodes/PlekMapper/PlekMapper.node';
import { runNode } from '../support/nodeHarness';

const fields = { key: 'id', userName: 'mail', active: 'true' };
const map = async (groups: Array<{ group: string; condition: string; groupName?: string }>, input: Record<string, unknown>) =>
	await mapRecord(compileMapping({ ...fields, groups }), { id: '1', mail: 'a@acme.nl', ...input });

test('the group is named by the record; an empty condition means always; fixed rules still work beside it', async () => {
	const rules = [{ group: '', condition: '', groupName: 'department' }, { group: 'All staff', condition: 'true' }];
	expect(await map(rules, { department: 'Care' })).toMatchObject({ ok: true, record: { groups: ['All staff', 'Care'] } });
	expect(await map(rules, { department: 'Kitchen' })).toMatchObject({ ok: true, record: { groups: ['All staff', 'Kitchen'] } });
});

test('a computed name, a condition, a list, and no value', async () => {
	expect(await map([{ group: '', condition: '', groupName: '"Team " & location' }], { location: 'Zwolle' })).toMatchObject({ record: { groups: ['Team Zwolle'] } });
	const conditional = [{ group: '', condition: "contract = 'vast'", groupName: 'department' }];
	expect(await map(conditional, { department: 'Care', contract: 'flex' })).toMatchObject({ record: { groups: [] } });
	expect(await map(conditional, { department: 'Care', contract: 'vast' })).toMatchObject({ record: { groups: ['Care'] } });
	expect(await map([{ group: '', condition: '', groupName: 'teams' }], { teams: ['B', 'A', 'B', ''] })).toMatchObject({ record: { groups: ['A', 'B'] } });
	for (const department of [undefined, null, '', '  ']) {
		expect(await map([{ group: '', condition: '', groupName: 'department' }], { department })).toMatchObject({ ok: true, record: { groups: [] } });
	}
});

test('a name that is not text, or not a usable group name, makes the record invalid naming the rule', async () => {
	const number = await map([{ group: '', condition: '', groupName: 'department' }], { department: 42 });
	expect(number).toMatchObject({ ok: false, field: 'groups', expression: 'department' });
	expect(!number.ok && number.reason).toContain('group rule (name from department): a group name must be text, got number 42');
	const control = await map([{ group: '', condition: '', groupName: 'department' }], { department: 'Ca\u0007re' });
	expect(control).toMatchObject({ ok: false, field: 'groups' });
});

test('a syntax error names the rule by its expression', () => {
	expect(() => compileMapping({ ...fields, groups: [{ group: '', condition: '', groupName: '"Team " &' }] })).toThrow(MappingCompileError);
	try {
		compileMapping({ ...fields, groups: [{ group: '', condition: '', groupName: '"Team " &' }] });
	} catch (error) {
		expect((error as MappingCompileError).expressionName).toBe('group rule (name from "Team " &)');
	}
});

test('a fixed rule without a condition is still refused (nothing changes for existing workflows)', () => {
	expect(() => compileMapping({ ...fields, groups: [{ group: 'Care', condition: '' }] })).toThrow(/the expression is empty/);
});

describe('the Plek Mapper node', () => {
	const parameters = (rules: IDataObject[], extra: IDataObject = {}) =>
		({ mode: 'fields', mappingKey: 'id', userName: 'mail', active: 'true', groupRules: { rule: rules }, ...extra }) as INodeParameters;
	const input = [{ id: '1', mail: 'a@acme.nl', afdeling: 'Care', hired: '20270104' }];

	test('Group: Named by a Field uses Group Name Expression; One Fixed Group (the default) uses the dropdown', async () => {
		const result = await runNode(new PlekMapper(), {
			parameters: parameters([{ groupFrom: 'field', groupName: '"Dept " & afdeling', condition: '' }, { group: 'All staff', condition: 'true' }, { groupFrom: 'fixed', group: 'Care', condition: "afdeling = 'Care'", groupName: 'ignored' }], { startDate: '$startDate(hired)' }),
			input,
		});
		expect(result.json(0)[0]).toMatchObject({ groups: ['All staff', 'Care', 'Dept Care'], startDate: '2027-01-04' });
	});

	test('a Group Name Expression in n8n Expression mode is the value n8n resolved per item', async () => {
		const result = await runNode(new PlekMapper(), {
			parameters: parameters([{ groupFrom: 'field', groupName: '={{ "Team " + $json.afdeling }}', condition: '' }]),
			input,
			// Stands in for n8n's expression engine: the item's department, as n8n would resolve it.
			evaluateExpression: (expression, itemIndex) => (expression.includes('$json.afdeling') ? `Team ${input[itemIndex].afdeling}` : expression),
		});
		expect(result.json(0)[0]).toMatchObject({ groups: ['Team Care'] });
	});

	test('a syntax error names the parameter', async () => {
		await expect(runNode(new PlekMapper(), { parameters: parameters([{ groupFrom: 'field', groupName: 'afdeling &', condition: '' }]), input })).rejects.toThrow(
			/^Group Rules › Group Name Expression afdeling &:/,
		);
	});
});
