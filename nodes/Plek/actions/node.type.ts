import type { AllEntities } from 'n8n-workflow';

type NodeMap = {
	user: 'get' | 'getMany' | 'create' | 'update' | 'deactivate' | 'reactivate';
	group: 'getMany' | 'addMembers' | 'removeMembers';
};

export type PlekType = AllEntities<NodeMap>;
