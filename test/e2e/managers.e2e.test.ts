/**
 * Issue 14 item 4 in real n8n, on the HR REST API template (its Mapper maps Manager = managerId, the manager's
 * employee id, which is also their mapping key): the first run creates the whole organisation, each person's
 * enterprise manager set to the Plek id of a manager created in the same run (chains of three: staff -> department
 * manager -> Chief Executive); the next run writes nothing.
 */
import { CREDENTIALS, E2eEnvironment, startEnvironment } from '../../scripts/lib/environment';
import { expectOk } from './lib/assert';
import { ENTERPRISE, groupSeed, samplePeople } from '../../scripts/lib/samples';
import { localPatches } from '../../scripts/lib/templates';
import { loadTemplate, toHeadless, type WorkflowNode } from '../../scripts/lib/workflows';

const SYNC = 'Sync to Plek';
const ID = 'PlekE2eManager01';
let env: E2eEnvironment;

beforeAll(async () => {
	env = await startEnvironment({ hrApi: true });
	env.sandbox.load(groupSeed());
	const patch = { ...localPatches(env), [SYNC]: (node: WorkflowNode) => void (node.parameters.mode = 'apply') };
	await env.n8n.importWorkflow(toHeadless(loadTemplate('hr-rest-api'), { id: ID, credentials: { ...CREDENTIALS }, patch }));
});

afterAll(async () => {
	await env?.close();
});

test('a manager chain of three created in one run: every manager set to the Plek id; a re-run writes nothing', async () => {
	const people = samplePeople() as Array<ReturnType<typeof samplePeople>[number] & { manager: string | null }>;
	const active = people.filter((p) => p.active);
	const byNumber = new Map(people.map((p) => [p.employeeNumber, p]));
	const withManager = active.filter((p) => p.manager !== null);

	const first = await env.n8n.execute(ID);
	expectOk(first);
	const [summary] = first.output(SYNC)[0];
	expect(summary).toMatchObject({ failed: 0, conflicts: 0 });
	expect(summary.done.create).toBe(active.length);
	// Every manager is new too, so each link is set right after the creates.
	expect(summary.done.manager).toBe(withManager.length);
	expect(first.output(SYNC)[2].filter((i) => i.type === 'unknownManager')).toEqual([]);

	const users = new Map(env.sandbox.users().map((u) => [u.externalId as string, u]));
	const managerId = (key: string) => (users.get(key)?.[ENTERPRISE] as { manager?: { value?: string } } | undefined)?.manager?.value;
	for (const p of withManager) expect([p.employeeNumber, managerId(`E${p.employeeNumber}`)]).toEqual([p.employeeNumber, users.get(`E${p.manager}`)?.id]);
	const nurse = withManager.find((p) => byNumber.get(p.manager!)?.manager)!;
	const head = byNumber.get(nurse.manager!)!;
	const chief = byNumber.get(head.manager!)!;
	expect(chief.title).toBe('Chief Executive');
	expect(managerId(`E${nurse.employeeNumber}`)).toBe(users.get(`E${head.employeeNumber}`)!.id);
	expect(managerId(`E${head.employeeNumber}`)).toBe(users.get(`E${chief.employeeNumber}`)!.id);
	expect(managerId(`E${chief.employeeNumber}`)).toBeUndefined();

	env.sandbox.resetCounters();
	const again = await env.n8n.execute(ID);
	expectOk(again);
	expect(again.output(SYNC)[0][0]).toMatchObject({ unchanged: active.length, failed: 0 });
	expect(again.output(SYNC)[1]).toHaveLength(0);
	expect(env.sandbox.counters().writes).toBe(0);
});
