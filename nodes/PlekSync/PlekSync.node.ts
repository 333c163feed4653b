import {
	NodeConnectionTypes,
	NodeOperationError,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IPairedItemData,
	type NodeApiError,
} from 'n8n-workflow';

import { credentialProtection } from '../../core/protection';
import { SyncBlockedError, SyncStoppedError } from '../../core/sync/executor';
import { applyScoped, countReads, planScoped, recordingDirectory, type ScopedPlan, type WriteRecord } from '../../core/sync/onDemand';
import { emptySourceProblem, isEmptySource } from '../../core/sync/planner';
import type { SyncOptions, SyncResult } from '../../core/sync/types';
import type { PlekUserRecord } from '../../core/types';
import { createPlekClient, PLEK_CREDENTIAL_TYPE, rememberDiscovery, toNodeApiError, type PlekScimClient } from '../../transport';
import { ParameterProblem } from '../shared/parameters';
import { appliedApprovals, environmentOf, rememberApplied } from './approvals';
import { syncProperties } from './description';
import { listOutputs, scopeFields, SYNC_OUTPUTS } from './outputs';
import { readSyncParams, SYNC_PARAMETERS, type SyncParams } from './params';
import { executionHints, summaryItem } from './report';
import { stoppedError } from './stopped';

/**
 * Plek Sync: reconciles Plek's users with the records it receives (from the Plek Mapper or any node that builds
 * the documented Plek user record). Reads Plek, plans like `terraform plan`, then applies (or only reports the
 * plan). The work is done by core/sync (planner + executor) through the transport; this class reads its parameters
 * (params.ts), calls the core and renders the outputs (outputs.ts, report.ts).
 */
export class PlekSync implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Plek Sync',
		name: 'plekSync',
		icon: { light: 'file:plek.svg', dark: 'file:plek.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{ {"apply": "Sync users", "dryRun": "Dry run", "explain": "Explain " + $parameter["explainKey"], "applyOne": "Apply " + $parameter["explainKey"]}[$parameter["mode"]] }}',
		description: 'Create, update, deactivate and reactivate Plek users and their group memberships to match your HR source',
		defaults: {
			name: 'Plek Sync',
		},
		inputs: [NodeConnectionTypes.Main],
		outputs: SYNC_OUTPUTS,
		hints: [
			{
				message: 'Dry Run writes nothing to Plek: it outputs the plan. When the Changes look right, set Mode to Sync.',
				type: 'info',
				location: 'ndv',
				whenToDisplay: 'always',
				displayCondition: '={{ $parameter["mode"] === "dryRun" }}',
			},
		],
		// n8n's verification asks every regular node to be offered as an AI tool. Called by an agent the node gets only
		// the agent's call as input, not the full source, so the deactivation guards (fewer than half of the managed
		// users in the input) keep such a call from deactivating anyone; agents mostly want the Plek node's actions.
		usableAsTool: true,
		credentials: [
			{
				name: 'plekApi',
				required: true,
			},
		],
		properties: syncProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const params = readParams(this);
		const syncOptions = await runOptions(this, params);
		const records = items.map((item) => item.json as unknown);
		const emptySource = emptySourceProblem(records, params.allowEmptySource);
		if (emptySource) throw new NodeOperationError(this.getNode(), emptySource.message, { description: emptySource.whatToDo });

		// A live list: the client adds each token to it the moment n8n obtains one.
		const secrets: string[] = [];
		// What Plek advertises changes rarely: a scheduled run reuses /ServiceProviderConfig read within the hour.
		const discoveryStore = this.getWorkflowStaticData('node');
		const client = await createPlekClient(this, { secrets, discoveryStore, ...params.client });
		const pairing = pairInputItems(items);
		const startedAt = new Date().toISOString();

		const run = await planAndApply(this, params, syncOptions, records, client, secrets);
		if (run.failure) {
			const failed = [[{ json: { error: run.failure.message, description: run.failure.description ?? '' }, pairedItem: pairing.all }], [], []];
			return params.outputs.history ? [...failed, []] : failed;
		}
		const { scoped, result } = run;
		if (scoped?.problem !== undefined || result === undefined) {
			throw new NodeOperationError(this.getNode(), `Apply One Person: ${scoped?.problem ?? 'nothing was planned'}`, {
				description: 'Enter the mapping key (externalId), userName or e-mail address of one person in the input or managed in Plek.',
			});
		}
		countReads(scoped, client, result);
		await rememberDiscovery(discoveryStore, client);
		const summary = await summaryJson(params, syncOptions, scoped, result, run.writes, client);
		this.addExecutionHints(...executionHints(params.mode, result));
		const listed = { runId: this.getExecutionId() ?? '', time: startedAt, mode: params.mode };
		return [[{ json: summary, pairedItem: pairing.all }], ...listOutputs(listed, result, scoped?.plan, params.outputs, pairing.forKey)];
	}
}

/** The node's parameters (params.ts); a refused one fails the node naming it, before any request. */
function readParams(ctx: IExecuteFunctions): SyncParams {
	try {
		return readSyncParams((name) => ctx.getNodeParameter(name, 0, SYNC_PARAMETERS.defaultOf(name)), ctx.getTimezone());
	} catch (error) {
		const problem = error instanceof ParameterProblem ? error : undefined;
		throw new NodeOperationError(ctx.getNode(), problem?.message ?? (error as Error).message, { description: problem?.whatToDo });
	}
}

/**
 * The planner's options: the parameters', with the credential's protection (every Plek node honours it; the Sync's
 * own Protected Accounts add to it) and the approval context. Approvals bind to this Plek environment, expire, and
 * apply once (applied ones are in the workflow's static data).
 */
async function runOptions(ctx: IExecuteFunctions, params: SyncParams): Promise<SyncOptions> {
	const credential = await ctx.getCredentials(PLEK_CREDENTIAL_TYPE);
	const protection = credentialProtection(credential);
	return {
		...params.plan,
		protectedAccounts: [...protection.accounts, ...params.protectedAccounts],
		protectedGroups: [...protection.groups],
		environment: environmentOf(credential),
		appliedApprovals: appliedApprovals(ctx.getWorkflowStaticData('global')),
	};
}

interface SyncRun {
	scoped?: ScopedPlan;
	result?: SyncResult;
	/** Apply One Person: each write with Plek's answer. */
	writes: WriteRecord[];
	/** Plek's error, output under Continue on Fail. */
	failure?: NodeApiError;
}

/** Plans, remembers an applied approval (before its writes start), then applies (or, in a dry run, only counts). */
async function planAndApply(ctx: IExecuteFunctions, params: SyncParams, syncOptions: SyncOptions, records: unknown[], client: PlekScimClient, secrets: string[]): Promise<SyncRun> {
	const run: SyncRun = { writes: [] };
	try {
		const scoped = await planScoped((isEmptySource(records) ? [] : records) as PlekUserRecord[], client, syncOptions, params.scope);
		run.scoped = scoped;
		if (scoped.plan.approved && scoped.plan.fingerprint && !params.execute.dryRun) {
			rememberApplied(ctx.getWorkflowStaticData('global'), scoped.plan.fingerprint, new Date().toISOString());
		}
		const directory = params.mode === 'applyOne' ? recordingDirectory(client, scoped.plan, run.writes) : client;
		if (scoped.problem === undefined) run.result = await applyScoped(scoped, directory, params.execute);
	} catch (error) {
		const settled = settleError(ctx, params, error, secrets);
		if (settled instanceof Error) run.failure = settled;
		else run.result = settled;
	}
	return run;
}

/**
 * A blocked run yields its plan when the Summary routes it to an approval step (When Blocked: Output the Blocked
 * Plan, as templates/*-with-approval.json) or under Continue on Fail; a stopped run yields its result under Continue
 * on Fail; any other error is Plek's, redacted.
 */
function settleError(ctx: IExecuteFunctions, params: SyncParams, error: unknown, secrets: string[]): SyncResult | NodeApiError {
	if (error instanceof SyncBlockedError) {
		if (!ctx.continueOnFail() && !params.outputBlocked) {
			throw new NodeOperationError(ctx.getNode(), error.message, { description: blockedDescription(error.result) });
		}
		return error.result;
	}
	if (error instanceof SyncStoppedError) {
		if (!ctx.continueOnFail()) throw stoppedError(ctx.getNode(), error.result);
		return error.result;
	}
	const nodeError = toNodeApiError(ctx.getNode(), error, undefined, secrets);
	if (!ctx.continueOnFail()) throw nodeError;
	return nodeError;
}

/** The Summary item: the report's head, the scope of the run, the capabilities Plek did not advertise, overlap. */
async function summaryJson(params: SyncParams, syncOptions: SyncOptions, scoped: ScopedPlan | undefined, result: SyncResult, writes: WriteRecord[], client: PlekScimClient) {
	const todayIs = typeof syncOptions.now === 'string' ? syncOptions.now : undefined;
	const head = summaryItem(params.mode, result, params.person, scoped?.plan, todayIs);
	const json = { ...head, ...scopeFields(scoped, writes, head.decision) };
	const assumed = (await client.capabilities().catch(() => undefined))?.assumed;
	if (assumed) json.assumed = assumed;
	// Overlap guard: each run plans against the Plek state it reads; a create another run made in the meantime
	// comes back as alreadyExisted (409 resolved by lookup), so this run says it overlapped instead of failing.
	json.overlapped = result.summary.alreadyExisted > 0;
	return json;
}

/** The blocked run's error details: what to do, the fingerprint to approve and the first people affected. */
function blockedDescription(result: SyncResult): string {
	const { fingerprint, firstAffected } = result.summary;
	const lines = [
		'Nothing was written to Plek. Check the source first. If the plan is intended, approve exactly this plan: set Safety Guards > Approve Plan to the fingerprint below and run again (or raise the guard named above for one run).',
	];
	if (fingerprint) lines.push(`Plan fingerprint: ${fingerprint}`);
	if (firstAffected && firstAffected.length > 0) lines.push(`First affected: ${firstAffected.join('; ')}`);
	return lines.join('\n');
}

/**
 * The Sync node runs once for all items; each output item points back at the input records it is about. One
 * pairing object per input item, shared by the Summary and the items about that person (n8n stores a shared object
 * once); an item about nobody in the input points at the first.
 */
function pairInputItems(items: INodeExecutionData[]): { all: IPairedItemData[]; forKey: (key: string | undefined) => IPairedItemData[] } {
	const all: IPairedItemData[] = items.map((_, index) => ({ item: index }));
	const byKey = new Map<string, IPairedItemData[]>();
	items.forEach((item, index) => {
		const key = (item.json as { key?: unknown }).key;
		if (typeof key !== 'string') return;
		// Exactly as the planner sees it: keys are not trimmed there either.
		const list = byKey.get(key);
		if (list) list.push(all[index]);
		else byKey.set(key, [all[index]]);
	});
	return { all, forKey: (key) => (key !== undefined ? byKey.get(key) : undefined) ?? all.slice(0, 1) };
}
