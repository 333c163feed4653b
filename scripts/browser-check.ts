/**
 * `npm run test:browser`: issue 25's browser check in the real n8n editor with Debian's headless Chromium.
 *
 * A person's path from a new export to the first dry run, driven through the editor's own controls (n8n's
 * data-test-id attributes): the HR CSV template (imported as `npm start` imports the templates) is opened, its
 * *Read the HR export* node pointed at a new AFAS-style export (BOM, `;`, Dutch headers, dd-mm-yyyy, particles,
 * partner names), the Plek Mapper set to *Propose Mapping* and executed; the proposal item must show in the output
 * pane. The proposal is accepted by pasting it on the canvas as the workflow with the proposed Mapper in the
 * template Mapper's place (the editor's own paste import: see acceptProposal), the workflow is executed, and the
 * Sync's output pane must show the dry run's Summary. Prints the clicks, settings and keystrokes it took and the
 * seconds, and saves docs/screenshots/proposal-dry-run.png. Exits non-zero on any failed expectation.
 *
 * Runs on Node 24 (the n8n runtime's Node). Needs `chromium` (apt-get install -y chromium) and `npm run build`.
 * Starts n8n: run it under the n8n lock (`.ci/run` does): flock /tmp/plek-n8n.lock npm run test:browser
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { chromium, type Page } from 'playwright-core';

import { startEditor } from './lib/editor';
import { startEnvironment } from './lib/environment';
import { freePort } from './lib/ports';
import { REPO_DIR, type WorkflowJson } from './lib/n8n';
import { startSmtpSink } from './lib/smtp-sink';
import { localTemplate } from './lib/templates';

const SCREENSHOT = join(REPO_DIR, 'docs', 'screenshots', 'proposal-dry-run.png');
const MAPPER_TYPE = 'n8n-nodes-plek.plekMapper';
const READ = 'Read the HR export';
const MAPPER = 'Map to Plek users';
const SYNC = 'Sync to Plek';

const say = (line: string) => console.log(`[browser] ${line}`);

function findChromium(): string {
	for (const candidate of [process.env.CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome']) {
		if (candidate && existsSync(candidate)) return candidate;
	}
	throw new Error('Chromium not found: apt-get install -y chromium (or set CHROMIUM=/path/to/chrome)');
}

function check(condition: boolean, what: string): void {
	if (!condition) throw new Error(`expected ${what}`);
	say(`ok: ${what}`);
}

/** A new export as AFAS writes it: UTF-8 with a BOM, `;`, CRLF, Dutch headers, dd-mm-yyyy, particles, partner names (10006 left in 2020). */
const AFAS_EXPORT = [
	'Medewerker;Roepnaam;Voorletters;Voorvoegsel;Achternaam;Voorvoegsel partner;Naam partner;Naamgebruik;E-mail werk;Afdeling;Functie;Leidinggevende;Datum in dienst;Datum uit dienst',
	'10001;Jan;J.;van der;Berg;;;B;J.vanderBerg@gemeente.example;Burgerzaken;Afdelingshoofd;;01-03-2015;',
	'10002;Anna;A.;;Jansen;de;Vries;PB;a.devries@gemeente.example;Burgerzaken;Medewerker balie;10001;15-08-2019;',
	'10003;Pieter;P.;van \'t;Hof;;;B;p.vanthof@gemeente.example;Sociaal Domein;Consulent;10001;01-01-2021;',
	'10004;Fatima;F.;;El Amrani;van;Dijk;BP;f.elamrani@gemeente.example;Sociaal Domein;Consulent;10003;01-02-2022;',
	'10005;Kees;K.;de;Groot;;Smit;P;k.smit@gemeente.example;ICT;Beheerder;10001;01-09-2010;',
	'10006;Els;E.;ter;Horst;;;B;e.terhorst@gemeente.example;ICT;Adviseur;10005;01-04-2012;31-12-2020',
];

function writeAfasExport(dir: string): string {
	const path = join(dir, 'afas-export-new.csv');
	writeFileSync(path, `\uFEFF${AFAS_EXPORT.join('\r\n')}\r\n`, 'utf8');
	return path;
}

/** What a person does, counted: clicks (incl. double-clicks), settings changed, keystrokes (shortcuts). */
class Actions {
	clicks = 0;
	settings = 0;
	keys = 0;
	constructor(private readonly page: Page) {}

	async click(selector: string, what: string) {
		await this.page.locator(selector).first().click();
		this.clicks++;
		say(`click: ${what}`);
	}

	async openNode(name: string) {
		await this.page.locator(`[data-test-id="canvas-node"][data-node-name="${name}"]`).dblclick();
		this.clicks++;
		await this.page.locator('[data-test-id="ndv"]').first().waitFor({ state: 'visible' });
		say(`double-click: open ${name}`);
	}

	async closeNode() {
		await this.click('[data-test-id="ndv-close-button"]', 'back to canvas');
	}

	async type(parameter: string, value: string) {
		const input = this.page.locator(`[data-test-id="parameter-input-${parameter}"] input, [data-test-id="parameter-input-${parameter}"] textarea`).first();
		await input.click();
		this.clicks++;
		await input.fill(value);
		await input.press('Tab');
		this.settings++;
		say(`setting: ${parameter} = ${value}`);
	}

	async choose(parameter: string, optionText: string) {
		await this.click(`[data-test-id="parameter-input-${parameter}"]`, `open ${parameter}`);
		await this.page.locator('.el-select-dropdown__item:visible, [role="option"]:visible').filter({ hasText: optionText }).first().click();
		this.clicks++;
		this.settings++;
		say(`setting: ${parameter} = ${optionText}`);
	}

	async press(key: string, what: string) {
		await this.page.keyboard.press(key);
		this.keys++;
		say(`key ${key}: ${what}`);
	}
}

/** The text of the open node's output pane once it shows `mustContain` (n8n shows the items there). */
async function outputText(page: Page, mustContain: string | RegExp): Promise<string> {
	const pane = page.locator('[data-test-id="output-panel"]');
	await pane.filter({ hasText: mustContain }).waitFor({ state: 'visible', timeout: 120_000 });
	return (await pane.textContent()) ?? '';
}

/**
 * The proposal's `mapperNode`, the text a person copies from the output pane: read from the execution n8n saved for
 * that step (REST, the owner's session), since the pane's table and JSON view render long values partly or lazily.
 * n8n stores run data flatted (one array of values): the Mapper node JSON is the one string value that is it.
 */
async function savedMapperNode(editorUrl: string, cookie: string, workflowId: string): Promise<string> {
	const get = async (path: string) => {
		const response = await fetch(`${editorUrl}${path}`, { headers: { cookie: `n8n-auth=${cookie}` } });
		if (!response.ok) throw new Error(`GET ${path}: HTTP ${response.status}`);
		return ((await response.json()) as { data: any }).data;
	};
	const filter = encodeURIComponent(JSON.stringify({ workflowId }));
	const [latest] = (await get(`/rest/executions?filter=${filter}&limit=1`)).results as Array<{ id: string }>;
	const execution = await get(`/rest/executions/${latest.id}`);
	const values = JSON.parse(execution.data) as unknown[];
	const mapperNode = values.find((v): v is string => typeof v === 'string' && v.startsWith('{') && v.includes(MAPPER_TYPE) && v.includes('"nodes"'));
	if (!mapperNode) throw new Error(`execution ${latest.id} has no mapperNode value`);
	return mapperNode;
}

/**
 * Accepting the proposal the n8n-native way without drags: the workflow as it is, with the proposed Mapper in the
 * template Mapper's place (same name, position and connections), replaces the canvas (select all, delete, paste).
 * Pasting `mapperNode` alone would need the old Mapper deleted and three connections dragged by hand; this is the
 * same result through the editor's own paste import (n8n imports pasted workflow JSON with its connections).
 */
async function acceptProposal(page: Page, actions: Actions, template: WorkflowJson, csvPath: string, mapperNode: string) {
	const proposed = (JSON.parse(mapperNode) as { nodes: Array<{ type: string; parameters: Record<string, unknown>; typeVersion: number }> }).nodes;
	check(proposed.length === 1 && proposed[0].type === MAPPER_TYPE, 'mapperNode is one Plek Mapper node');
	const workflow = structuredClone(template);
	for (const node of workflow.nodes) {
		if (node.name === READ) node.parameters.fileSelector = csvPath;
		if (node.name === MAPPER) Object.assign(node, { parameters: proposed[0].parameters, typeVersion: proposed[0].typeVersion });
	}
	const clipboard = JSON.stringify({ nodes: workflow.nodes, connections: workflow.connections });
	await page.locator('.vue-flow__pane').click({ position: { x: 5, y: 5 } });
	actions.clicks++;
	await actions.press('ControlOrMeta+a', 'select all nodes');
	await actions.press('Delete', 'delete them');
	await page.locator('[data-test-id="canvas-node"]').first().waitFor({ state: 'detached' });
	// Headless Chromium has no system clipboard: the paste event carries the text, as Ctrl+V would.
	await page.evaluate(
		`(() => { const data = new DataTransfer(); data.setData('text/plain', ${JSON.stringify(clipboard)});` +
			` document.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true })); })()`,
	);
	actions.keys++;
	say('key Ctrl+V: paste the workflow with the proposed Mapper');
	await page.locator(`[data-test-id="canvas-node"][data-node-name="${SYNC}"]`).waitFor();
}

async function run(page: Page, editor: { url: string; cookie: string }, template: WorkflowJson, csvPath: string, workflowId: string) {
	const editorUrl = editor.url;
	const actions = new Actions(page);
	await page.goto(`${editorUrl}/workflow/${workflowId}`);
	await page.locator(`[data-test-id="canvas-node"][data-node-name="${MAPPER}"]`).waitFor({ timeout: 120_000 });
	await page.evaluate("document.querySelectorAll('.el-notification__closeBtn').forEach((b) => b.click())");
	const started = Date.now();

	await actions.openNode(READ);
	await actions.type('fileSelector', csvPath);
	await actions.closeNode();

	await actions.openNode(MAPPER);
	await actions.choose('mode', 'Propose Mapping');
	await actions.click('[data-test-id="node-execute-button"]', 'Execute step');
	const proposalText = await outputText(page, 'howToUse');
	check(/Proposed \d+ field\(s\) from 6 record\(s\)/.test(proposalText), 'the output pane shows the hint "Proposed N field(s) from 6 record(s)"');
	check(/Mapping Key/.test(proposalText) && /Medewerker/.test(proposalText), 'the proposal item shows the Mapping Key field on column Medewerker');
	check(/why/.test(proposalText) && /confidence/.test(proposalText), "the proposal item shows each field's why and confidence");
	await actions.closeNode();
	const mapperNode = await savedMapperNode(editorUrl, editor.cookie, workflowId);

	await acceptProposal(page, actions, template, csvPath, mapperNode);
	await actions.click('[data-test-id="execute-workflow-button"]', 'Execute workflow');
	await page.locator(`[data-test-id="canvas-node"][data-node-name="${SYNC}"] .vue-flow__handle, [data-test-id="canvas-node"][data-node-name="${SYNC}"]`).first().waitFor();
	await actions.openNode(SYNC);
	// Wait for the Summary's table cell, not the run's hint above it ("Dry run: 5 would change and nothing was
	// written ..."), which n8n can render first: reading the pane then missed the decision (CI, 4452bd1).
	const summary = await outputText(page, /Dry run: \d+ would change \(/);
	const decision = /Dry run: \d+ would change \([^)]*\), nothing was written[^\n]*?\)/.exec(summary)?.[0] ?? '';
	say(`the Summary's decision: ${decision}`);
	check(/^Dry run: 5 would change \(5 create, 4 manager set\)/.test(decision), 'the Summary says "Dry run: 5 would change (5 create, 4 manager set)" (the five current people, four with a manager)');
	check(/skipped 1 \(1 leavers not created\)/.test(decision), 'the Summary says the leaver of 2020 is skipped');
	check(/nothing was written/.test(decision), 'the Summary says nothing was written');
	const seconds = (Date.now() - started) / 1000;

	mkdirSync(join(REPO_DIR, 'docs', 'screenshots'), { recursive: true });
	await page.screenshot({ path: SCREENSHOT });
	say(`wrote ${SCREENSHOT}`);
	return { ...actions, seconds };
}

async function main() {
	if (!existsSync(join(REPO_DIR, 'dist', 'nodes'))) {
		say('Building the package (npm run build)...');
		if (spawnSync('npm', ['run', 'build'], { cwd: REPO_DIR, stdio: 'inherit' }).status !== 0) throw new Error('npm run build failed');
	}
	const executablePath = findChromium();
	const work = mkdtempSync(join(tmpdir(), 'plek-browser-'));
	const filesDir = join(work, 'files');
	mkdirSync(filesDir);
	const sampleCsv = join(filesDir, 'hr-export.csv');
	writeFileSync(sampleCsv, 'unused\n');
	const csvPath = writeAfasExport(filesDir);
	const smtp = await startSmtpSink();
	const env = await startEnvironment({ ldap: false, hrApi: false, smtp, log: say, n8nEnv: { N8N_RESTRICT_FILE_ACCESS_TO: filesDir } });
	let editor: Awaited<ReturnType<typeof startEditor>> | undefined;
	const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
	try {
		const template = localTemplate('hr-csv-export', env, { csvPath: sampleCsv });
		await env.n8n.importWorkflow(template);
		editor = await startEditor(env, { port: await freePort() });
		const cookie = await editor.login();
		const context = await browser.newContext({ viewport: { width: 1680, height: 960 } });
		await context.addCookies([{ name: 'n8n-auth', value: cookie, url: editor.url }]);
		const page = await context.newPage();
		page.setDefaultTimeout(60_000);
		const result = await run(page, { url: editor.url, cookie }, template, csvPath, template.id as string).catch(async (error: Error) => {
			const failShot = join(tmpdir(), 'plek-browser-failure.png');
			await page.screenshot({ path: failShot }).catch(() => undefined);
			throw new Error(`${error.message}\n(the page at the failure: ${failShot})`);
		});
		check(env.sandbox.users().length === 0, 'the dry run wrote nothing to Plek');
		console.log(
			`[browser] new export -> accepted proposal -> dry run: ${result.clicks} clicks, ${result.settings} settings, ` +
				`${result.keys} keystrokes, 0 expressions written, ${result.seconds.toFixed(1)} s of driving`,
		);
	} finally {
		await browser.close();
		await editor?.stop();
		await env.close();
		await smtp.close();
		rmSync(work, { recursive: true, force: true });
	}
}

main().then(
	() => process.exit(0),
	(error) => {
		console.error(`browser check failed: ${(error as Error).stack ?? error}`);
		process.exit(1);
	},
);
