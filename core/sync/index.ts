// The sync core: planner (pure) and executor (applies a plan through a PlekDirectory). Free of n8n.
export {
	changesFromSteps,
	planSync,
	resolveExplainTarget,
	resolveSyncOptions,
	type CurrentState,
} from './planner';
export { executePlan, SyncBlockedError, syncOnce } from './executor';
export * from './types'; // with the change set (model.ts): Decision, ExplainTarget, the steps
