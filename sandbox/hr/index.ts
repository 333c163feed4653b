/**
 * The Dutch HR stand-ins together, for the e2e suite and `npm start`: AFAS Profit, Youforce, Nmbrs and Loket.nl on
 * loopback, the n8n credentials that reach them (fixed ids, as the templates name them) and the node patches that
 * point a template at them.
 */
import { AFAS_DEFAULTS, AfasStandIn, startAfas } from './afas';
import { AuthorizationCodeFlow } from './http';
import { LOKET_DEFAULTS, LoketStandIn, startLoket } from './loket';
import { NMBRS_DEFAULTS, NmbrsStandIn, startNmbrs } from './nmbrs';
import { HrPerson, hrPeople } from './people';
import { startYouforce, YOUFORCE_DEFAULTS, YouforceStandIn } from './youforce';

/** The templates served by these stand-ins (and the AFAS export file). */
export const DUTCH_HR_TEMPLATES = ['afas-export-csv', 'afas-profit-oauth', 'afas-profit-classic-token', 'youforce-iam-api', 'nmbrs-api', 'loket-api'] as const;

/** The credentials the templates name (n8n ids are 16 alphanumeric characters). */
export const HR_CREDENTIALS = {
	afasOAuth: { id: 'AfasOAuthClient1', name: 'AFAS Profit (OAuth)' },
	afasToken: { id: 'AfasClassicTok01', name: 'AFAS Profit (AfasToken)' },
	youforce: { id: 'YouforceClient01', name: 'Youforce IAM API' },
	nmbrs: { id: 'NmbrsOAuth000001', name: 'Nmbrs' },
	loket: { id: 'LoketOAuth000001', name: 'Loket.nl' },
} as const;

export interface DutchHrStandIns {
	afas: AfasStandIn;
	youforce: YouforceStandIn;
	nmbrs: NmbrsStandIn;
	loket: LoketStandIn;
	close(): Promise<void>;
}

export interface HrPorts {
	afas?: number;
	youforce?: number;
	nmbrs?: number;
	loket?: number;
}

export async function startDutchHr(options: { people?: HrPerson[]; ports?: HrPorts } = {}): Promise<DutchHrStandIns> {
	const people = options.people ?? hrPeople();
	const ports = options.ports ?? {};
	const afas = await startAfas({ people, port: ports.afas });
	const youforce = await startYouforce({ people, port: ports.youforce });
	const nmbrs = await startNmbrs({ people, port: ports.nmbrs });
	const loket = await startLoket({ people, port: ports.loket });
	return {
		afas,
		youforce,
		nmbrs,
		loket,
		close: async () => {
			await Promise.all([afas.close(), youforce.close(), nmbrs.close(), loket.close()]);
		},
	};
}

interface Credential {
	id: string;
	name: string;
	type: string;
	data: Record<string, unknown>;
}

const clientCredentialsGrant = (tokenUrl: string, client: { clientId: string; clientSecret: string }) => ({
	grantType: 'clientCredentials',
	accessTokenUrl: tokenUrl,
	clientId: client.clientId,
	clientSecret: client.clientSecret,
	scope: '',
	authentication: 'body',
});

/**
 * n8n's OAuth2 credential for an authorization-code API, already connected: n8n keeps the tokens of the one-time
 * browser login in `oauthTokenData`; here they come from the stand-in (no browser in a headless test).
 */
const connected = (flow: AuthorizationCodeFlow, urls: { authorizeUrl: string; tokenUrl: string }, client: { clientId: string; clientSecret: string }) => ({
	grantType: 'authorizationCode',
	authUrl: urls.authorizeUrl,
	accessTokenUrl: urls.tokenUrl,
	clientId: client.clientId,
	clientSecret: client.clientSecret,
	scope: '',
	authQueryParameters: '',
	authentication: 'body',
	oauthTokenData: flow.preObtained(),
});

export function hrCredentials(hr: DutchHrStandIns): Credential[] {
	return [
		{ ...HR_CREDENTIALS.afasOAuth, type: 'oAuth2Api', data: clientCredentialsGrant(hr.afas.tokenUrl, AFAS_DEFAULTS) },
		{ ...HR_CREDENTIALS.afasToken, type: 'httpHeaderAuth', data: { name: 'Authorization', value: hr.afas.classicAuthorization } },
		{ ...HR_CREDENTIALS.youforce, type: 'oAuth2Api', data: clientCredentialsGrant(hr.youforce.tokenUrl, YOUFORCE_DEFAULTS) },
		{ ...HR_CREDENTIALS.nmbrs, type: 'oAuth2Api', data: connected(hr.nmbrs.oauth, hr.nmbrs, NMBRS_DEFAULTS) },
		{ ...HR_CREDENTIALS.loket, type: 'oAuth2Api', data: connected(hr.loket.oauth, hr.loket, LOKET_DEFAULTS) },
	];
}

interface TemplateNode {
	name: string;
	type: string;
	parameters: Record<string, any>;
}

function setAssignments(node: TemplateNode, values: Record<string, string>): void {
	for (const assignment of node.parameters.assignments.assignments as Array<{ name: string; value: string }>) {
		if (values[assignment.name] !== undefined) assignment.value = values[assignment.name];
	}
}

/** Points a template's nodes (in place) at the stand-ins and, for the export template, at `exportPath`. */
export function pointAtStandIns(workflow: { nodes: TemplateNode[] }, hr: DutchHrStandIns, exportPath?: string): void {
	for (const node of workflow.nodes) {
		if (node.type === 'n8n-nodes-base.readWriteFile' && exportPath) node.parameters.fileSelector = exportPath;
		const connector = node.type === 'n8n-nodes-base.httpRequest' ? String(node.parameters.url).split('/connectors/')[1] : undefined;
		if (connector) node.parameters.url = hr.afas.connectorUrl(connector);
		if (node.name === 'Youforce settings') setAssignments(node, { baseUrl: hr.youforce.url, tenantId: hr.youforce.tenantId });
		if (node.name === 'Nmbrs settings') setAssignments(node, { baseUrl: hr.nmbrs.url, companyId: NMBRS_DEFAULTS.companyId });
		if (node.name === 'Loket settings') setAssignments(node, { baseUrl: hr.loket.url, employerId: LOKET_DEFAULTS.employerId });
	}
}
