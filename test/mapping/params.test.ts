// The Mapper's parameters are read by one pure function (nodes/PlekMapper/params.ts) whose defaults are the node
// description's: nothing absent is guessed in code, a wrongly typed value is refused naming the parameter.
import { DEFAULT_MAX_DEPTH, DEFAULT_TIMEOUT_MS } from '../../core/mapping';
import { DEFAULT_MAX_STRING_LENGTH } from '../../core/record';
import { mapperProperties } from '../../nodes/PlekMapper/description';
import { MAPPER_PARAMETERS, readMapperParams } from '../../nodes/PlekMapper/params';
import { ParameterProblem } from '../../nodes/shared/parameters';

const from = (parameters: Record<string, unknown>) => (name: string) => parameters[name];

it('an absent parameter has the description default, and those defaults are the engine bounds', () => {
	const params = readMapperParams(from({}), 'Europe/Amsterdam');
	expect(params.mode).toBe(MAPPER_PARAMETERS.defaultOf('mode'));
	expect(params.config).toEqual({ key: '', userName: '', active: 'true', manager: '', startDate: '', leaveDate: '', profile: [], groups: [] });
	expect(params.compile).toEqual({ timeoutMs: DEFAULT_TIMEOUT_MS, maxDepth: DEFAULT_MAX_DEPTH, maxStringLength: DEFAULT_MAX_STRING_LENGTH, defaultTimeZone: 'Europe/Amsterdam' });
	expect(params.maxInvalidPercent).toBe(MAPPER_PARAMETERS.defaultOf('options.maxInvalidPercent'));
	expect(params.checkSchema).toBe(false);
});

it('reads Fields mode: the record fields, profile fields and both kinds of group rule, entry defaults from the description', () => {
	const params = readMapperParams(
		from({
			mode: 'fields',
			mappingKey: 'id',
			userName: 'mail',
			active: '$toBool(on)',
			startDate: '$startDate(hired)',
			leaveDate: '$toIsoDate(left)',
			manager: 'boss',
			profileFields: { field: [{ path: 'title', expression: 'job', apply: 'createOnly' }, { path: 'name.givenName', expression: 'first' }] },
			groupRules: { rule: [{ group: 'Care', condition: "dept = 'Care'" }, { groupFrom: 'field', groupName: 'dept' }] },
			options: { timeZone: ' Pacific/Auckland ', maxDepth: 50 },
		}),
		'Europe/Amsterdam',
	);
	expect(params.config).toEqual({
		key: 'id',
		userName: 'mail',
		active: '$toBool(on)',
		startDate: '$startDate(hired)',
		leaveDate: '$toIsoDate(left)',
		manager: 'boss',
		profile: [
			{ path: 'title', expression: 'job', createOnly: true },
			{ path: 'name.givenName', expression: 'first', createOnly: false },
		],
		groups: [
			{ group: 'Care', condition: "dept = 'Care'" },
			{ group: '', groupName: 'dept', condition: '' },
		],
	});
	expect(params.compile).toMatchObject({ maxDepth: 50, defaultTimeZone: 'Pacific/Auckland' });
});

it('reads Document mode as one expression, its default the description one', () => {
	const documentDefault = mapperProperties.find((p) => p.name === 'document')!.default;
	expect(readMapperParams(from({ mode: 'document' }), 'UTC').config).toEqual({ document: documentDefault });
	expect(readMapperParams(from({ mode: 'document', document: '{"key": id}' }), 'UTC').config).toEqual({ document: '{"key": id}' });
});

it('refuses an unknown mode and a switch that is not true or false, naming the parameter', () => {
	expect(() => readMapperParams(from({ mode: 'guess' }), 'UTC')).toThrow(new ParameterProblem('Mode', 'Mode must be one of "fields", "document", "propose", got "guess"'));
	expect(() => readMapperParams(from({ options: { checkSchema: 'yes' } }), 'UTC')).toThrow(/Options › Check Fields Against Plek Schema must be true or false/);
});
