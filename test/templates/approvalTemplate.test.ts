// templates/hr-csv-export-with-approval.json: the approval path is wired as the README says, and its two Plek Sync
// nodes cannot drift apart (a difference would make every approved run block). Behaviour in real n8n:
// test/e2e/approval.e2e.test.ts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface TemplateNode {
	name: string;
	type: string;
	parameters: Record<string, unknown> & { guards?: Record<string, unknown> };
	credentials?: Record<string, unknown>;
}
interface Template {
	nodes: TemplateNode[];
	connections: Record<string, { main: Array<Array<{ node: string }>> }>;
}

const template = JSON.parse(readFileSync(join(__dirname, '../../templates/hr-csv-export-with-approval.json'), 'utf8')) as Template;
const node = (name: string) => {
	const found = template.nodes.find((n) => n.name === name);
	if (!found) throw new Error(`no node ${name}`);
	return found;
};
const next = (name: string, output = 0) => (template.connections[name]?.main[output] ?? []).map((c) => c.node);

test('a blocked run goes to Send and Wait; Apply this plan -> the previewed records -> a Sync approving the blocked fingerprint', () => {
	expect(node('Sync to Plek').parameters.guards?.whenBlocked).toBe('output');
	expect(next('Sync to Plek')).toEqual(['Blocked?']);
	expect(JSON.stringify(node('Blocked?').parameters)).toContain('Boolean($json.blocked) && !$json.dryRun');
	expect(next('Blocked?', 0)).toEqual(['Ask an admin to approve']);
	expect(next('Blocked?', 1)).toEqual(['Anything to report?']);
	const ask = node('Ask an admin to approve');
	expect(ask).toMatchObject({ type: 'n8n-nodes-base.emailSend', parameters: { operation: 'sendAndWait', responseType: 'approval' } });
	expect(ask.parameters.message).toEqual(expect.stringContaining('{{ $json.fingerprint }}'));
	expect(next('Ask an admin to approve')).toEqual(['Approved?']);
	expect(next('Approved?', 0)).toEqual(['The previewed people']);
	expect(next('Approved?', 1)).toEqual(['Not approved']);
	expect(node('Not approved').type).toBe('n8n-nodes-base.stopAndError');
	expect(JSON.stringify(node('The previewed people').parameters)).toContain("$('Map to Plek users').all()");
	expect(next('The previewed people')).toEqual(['One item per person']);
	expect(next('One item per person')).toEqual(['Apply the approved plan']);
	const apply = node('Apply the approved plan');
	expect(apply.parameters.mode).toBe('apply');
	expect(apply.parameters.guards?.approvePlan).toBe("={{ $('Sync to Plek').first().json.fingerprint }}");
	// A stale approval must fail the run (error workflow), not wait for another approval.
	expect(apply.parameters.guards?.whenBlocked ?? 'fail').toBe('fail');
});

test('imports in Dry Run like the other templates (a Dry Run never asks for approval); the approved Sync always applies', () => {
	expect(node('Sync to Plek').parameters.mode).toBe('dryRun');
	expect(node('About this template').parameters.content).toMatch(/starts in Dry Run[\s\S]*set \*\*Mode\*\* to \*\*Sync\*\*/);
	expect(node('Apply the approved plan').parameters.mode).toBe('apply');
});

test('both Plek Sync nodes have the same settings (but for the mode, Approve Plan and When Blocked)', () => {
	const settings = (n: TemplateNode) => {
		const parameters: Record<string, unknown> = { ...n.parameters, guards: { ...(n.parameters.guards ?? {}) } };
		delete parameters.mode;
		delete (parameters.guards as Record<string, unknown>).approvePlan;
		delete (parameters.guards as Record<string, unknown>).whenBlocked;
		return { parameters, credentials: n.credentials };
	};
	const syncs = template.nodes.filter((n) => n.type === 'n8n-nodes-plek.plekSync');
	expect(syncs.map((n) => n.name)).toEqual(['Sync to Plek', 'Apply the approved plan']);
	expect(settings(syncs[1])).toEqual(settings(syncs[0]));
});
