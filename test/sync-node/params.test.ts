// Issue 24: the Sync node's parameters are read by one pure function (nodes/PlekSync/params.ts) whose defaults are
// the description's; a wrongly typed or unknown value is refused naming the parameter, before any request.
import { GUARDS } from '../../core/sync/planner/guards';
import { DEFAULT_EXECUTE_OPTIONS, DEFAULT_SYNC_OPTIONS } from '../../core/sync/types';
import { DEFAULT_RATE_LIMIT_BUDGET_MS } from '../../transport/client';
import { syncProperties } from '../../nodes/PlekSync/description';
import { readSyncParams, SYNC_PARAMETERS } from '../../nodes/PlekSync/params';
import { ParameterProblem } from '../../nodes/shared/parameters';

/** A parameter source over plain values; records which parameters were asked for. */
function source(values: Record<string, unknown> = {}) {
	const asked: string[] = [];
	const get = (name: string) => {
		asked.push(name);
		return values[name];
	};
	return { get, asked };
}

const read = (values: Record<string, unknown> = {}) => readSyncParams(source(values).get, 'Europe/Amsterdam');

function refusal(values: Record<string, unknown>): ParameterProblem {
	let problem: unknown;
	try {
		read(values);
	} catch (error) {
		problem = error;
	}
	expect(problem).toBeInstanceOf(ParameterProblem);
	return problem as ParameterProblem;
}

describe('with nothing set, the description\'s defaults', () => {
	const params = read();

	it('are core\'s sync defaults', () => {
		for (const [name, value] of Object.entries(DEFAULT_SYNC_OPTIONS)) expect([name, params.plan[name as keyof typeof params.plan]]).toEqual([name, value]);
	});

	it('are every guard\'s default limit', () => {
		for (const guard of GUARDS) expect([guard.option, params.plan[guard.option]]).toEqual([guard.option, guard.defaultLimit]);
	});

	it('are the executor\'s and the client\'s defaults', () => {
		expect(params.execute).toEqual({
			dryRun: false,
			concurrency: DEFAULT_EXECUTE_OPTIONS.concurrency,
			useBulk: DEFAULT_EXECUTE_OPTIONS.useBulk,
			stopFailurePercent: DEFAULT_EXECUTE_OPTIONS.stopFailurePercent,
			stopMinWrites: DEFAULT_EXECUTE_OPTIONS.stopMinWrites,
		});
		expect(params.client).toEqual({ concurrency: 4, requestsPerSecond: 0, rateLimitBudgetMs: DEFAULT_RATE_LIMIT_BUDGET_MS });
	});

	it('run everyone, fail a blocked run, keep pre-hires off and use the workflow\'s time zone', () => {
		expect(params.mode).toBe('apply');
		expect(params.scope).toEqual({ kind: 'everyone' });
		expect(params.outputBlocked).toBe(false);
		expect(params.allowEmptySource).toBe(false);
		expect(params.plan.preHireDays).toBeUndefined();
		expect(params.plan.timeZone).toBe('Europe/Amsterdam');
		expect(params.plan.missingScope).toBeUndefined();
		expect(params.outputs).toEqual({ history: false, historyUnchanged: false, perAction: false, summaryPeople: 20 });
	});

	it('are read from the description itself (one source)', () => {
		const create = syncProperties.find((p) => p.name === 'create');
		const saved = create?.default;
		try {
			if (create) create.default = false;
			expect(read().plan.create).toBe(false);
		} finally {
			if (create) create.default = saved;
		}
	});
});

it('reads set values of every kind', () => {
	const params = read({
		mode: 'applyOne',
		explainKey: '  anna@acme.example ',
		create: false,
		adoptUnmanaged: 'email',
		deactivateMissing: true,
		missingScope: 'attribute',
		missingScopeAttribute: ' organization ',
		missingScopeValue: 'North',
		historyOutput: true,
		guards: { maxRenames: 3, maxDeactivations: 'many', whenBlocked: 'output', approvePlan: 'fp-1', approvalValidHours: 2 },
		options: { preHireDays: 0, concurrency: 8, rateLimitBudgetMinutes: 1, managedGroups: 'Care, Dept *', protectedAccounts: 'a, b', outputDetail: 'perAction', today: '2027-01-04' },
	});
	expect(params.person).toBe('anna@acme.example');
	expect(params.scope).toEqual({ kind: 'person', query: 'anna@acme.example' });
	expect(params.plan).toMatchObject({
		create: false,
		adoptUnmanaged: 'email',
		missingScope: { attribute: 'organization', value: 'North' },
		maxRenames: 3,
		// A limit that is not a number keeps its default: a guard never becomes NaN.
		maxDeactivations: DEFAULT_SYNC_OPTIONS.maxDeactivations,
		approvePlan: 'fp-1',
		approvalValidHours: 2,
		preHireDays: 0,
		managedGroups: ['Care', 'Dept *'],
		now: '2027-01-04',
	});
	expect(params.plan.explainKey).toBeUndefined();
	expect(params.protectedAccounts).toEqual(['a', 'b']);
	expect(params.outputBlocked).toBe(true);
	expect(params.client).toMatchObject({ concurrency: 8, rateLimitBudgetMs: 60_000 });
	expect(params.execute).toMatchObject({ dryRun: false, concurrency: 8 });
	expect(params.outputs).toMatchObject({ history: true, perAction: true });
});

it('Explain One Person explains the person and writes nothing; Limit To First N People scopes a run', () => {
	const explain = read({ mode: 'explain', explainKey: 'k1', options: { limitPeople: 5 } });
	expect([explain.plan.explainKey, explain.execute.dryRun, explain.scope]).toEqual(['k1', true, { kind: 'everyone' }]);
	expect(read({ options: { limitPeople: 2.7 } }).scope).toEqual({ kind: 'firstPeople', limit: 2 });
});

it('asks only for the parameters the chosen mode and switches show', () => {
	const everyday = source();
	readSyncParams(everyday.get, 'UTC');
	expect(everyday.asked).not.toContain('explainKey');
	expect(everyday.asked).not.toContain('missingScope');
	const full = source({ mode: 'explain', explainKey: 'k', deactivateMissing: true, missingScope: 'group', missingScopeGroup: 'North' });
	readSyncParams(full.get, 'UTC');
	const topLevel = syncProperties.filter((p) => p.type !== 'notice').map((p) => p.name);
	// Every parameter but the attribute scope's two (not shown for a group scope) is read.
	expect(topLevel.filter((name) => !full.asked.includes(name))).toEqual(['missingScopeAttribute', 'missingScopeValue']);
});

describe('a refusal names the parameter', () => {
	it.each([
		[{ create: 'false' }, 'Create Users', 'Create Users must be true or false, got "false"'],
		[{ adoptUnmanaged: 'everyone' }, 'Adopt Existing Accounts', 'Adopt Existing Accounts must be one of "off", "userName", "email", "userNameOrEmail", got "everyone"'],
		[{ guards: { whenBlocked: 'ignore' } }, 'Safety Guards › When Blocked', 'Safety Guards › When Blocked must be one of "fail", "output", got "ignore"'],
		[{ options: { useBulk: 'always' } }, 'Options › Use SCIM Bulk', 'Options › Use SCIM Bulk must be one of "auto", "never", got "always"'],
		[{ options: { clearEmptyValues: 1 } }, 'Options › Clear Empty Values', 'Options › Clear Empty Values must be true or false, got 1'],
		[{ mode: 'explain', explainKey: '  ' }, 'Person', 'Person is empty'],
		[{ deactivateMissing: true, missingScope: 'group', missingScopeGroup: ' ' }, 'Missing Users Scope', 'Missing Users Scope is incomplete'],
		[{ options: { managedGroups: 'Care, **' } }, 'Options › Managed Groups', "Options › Managed Groups: '*' would make every Plek group rule-managed"],
		[{ options: { timeZone: 'Mars/Olympus' } }, 'Options › Time Zone', "Options › Time Zone: unknown time zone 'Mars/Olympus'"],
		[{ options: { today: '04-01-2027' } }, 'Options › Today Is (for Tests)', "Options › Today Is: '04-01-2027' is not a date written YYYY-MM-DD"],
	])('%j', (values, parameter, message) => {
		const problem = refusal(values);
		expect([problem.parameter, problem.message]).toEqual([parameter, message]);
		expect(problem.whatToDo).toBeTruthy();
	});
});

it('the schema knows every parameter params.ts reads, and only the description\'s', () => {
	expect(SYNC_PARAMETERS.label('guards.maxManagerChanges')).toBe('Safety Guards › Max Manager Changes');
	expect(() => SYNC_PARAMETERS.defaultOf('options.noSuchOption')).toThrow('No parameter "options.noSuchOption"');
});
