import type {
	IAuthenticateGeneric,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import { plekPreAuthentication } from '../transport/auth';
import type { PlekCredentialData, TokenHttp } from '../transport/auth';

export class PlekApi implements ICredentialType {
	name = 'plekApi';

	displayName = 'Plek API';

	icon: Icon = { light: 'file:plek.svg', dark: 'file:plek.dark.svg' };

	documentationUrl = 'https://github.com/plek/n8n-nodes-plek#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Session Token',
			name: 'sessionToken',
			type: 'hidden',
			typeOptions: {
				expirable: true,
				password: true,
			},
			default: '',
		},
		{
			displayName: 'Environment URL',
			name: 'environmentUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://acme.plek.co',
			description:
				'The address of your Plek environment, without the SCIM path. Must be https:// (plain http:// is accepted only to 127.0.0.1 and [::1], for a local test server).',
		},
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'options',
			options: [
				{
					name: 'OAuth2 Client Credentials',
					value: 'clientCredentials',
					description: 'Client ID and Client Secret of a Plek API client; the token is fetched and renewed automatically',
				},
				{
					name: 'Access Token',
					value: 'accessToken',
					description: 'A static SCIM bearer token generated in Plek',
				},
			],
			default: 'clientCredentials',
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
			displayOptions: { show: { authentication: ['clientCredentials'] } },
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			displayOptions: { show: { authentication: ['clientCredentials'] } },
		},
		{
			displayName: 'Token URL',
			name: 'tokenUrl',
			type: 'string',
			default: '',
			placeholder: 'https://acme.plek.co/oauth/token',
			description: 'OAuth2 token endpoint. Leave empty to use the Environment URL + /oauth/token.',
			displayOptions: { show: { authentication: ['clientCredentials'] } },
		},
		{
			displayName: 'Scope',
			name: 'scope',
			type: 'string',
			default: '',
			description: 'Optional OAuth2 scope(s), space-separated',
			displayOptions: { show: { authentication: ['clientCredentials'] } },
		},
		{
			displayName: 'Client Authentication',
			name: 'clientAuthentication',
			type: 'options',
			options: [
				{
					name: 'Send Credentials in Body',
					value: 'body',
				},
				{
					name: 'Send as Basic Auth Header',
					value: 'basic',
				},
			],
			default: 'body',
			displayOptions: { show: { authentication: ['clientCredentials'] } },
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			displayOptions: { show: { authentication: ['accessToken'] } },
		},
		{
			displayName: 'SCIM Base Path',
			name: 'scimBasePath',
			type: 'string',
			default: '/scim/v2',
			description: 'Path of the SCIM 2.0 API below the Environment URL',
		},
		{
			displayName: 'Allow Token URL and SCIM Base on Another Host',
			name: 'allowOtherHosts',
			type: 'boolean',
			default: false,
			description:
				"Whether the Token URL or a full SCIM Base URL may point at another host than the Environment URL. Off: the Client Secret and tokens are only ever sent to the Environment URL's own host. Switch on only when Plek gave you a separate login or API host.",
		},
		{
			displayName: 'Protected Accounts',
			name: 'protectedAccounts',
			type: 'string',
			typeOptions: { rows: 2 },
			default: '',
			placeholder: 'e.g. admin@acme.nl, svc-intranet, 00123',
			description:
				'Plek accounts no Plek node may deactivate, rename, change or remove from groups: break-glass admins, service and test accounts. One per line or separated by commas: a userName, an e-mail address, a Plek ID or an External ID. userNames and e-mail addresses match in any case; IDs match exactly. Plek Sync adds its own Protected Accounts option to these.',
		},
		{
			displayName: 'Protected Group',
			name: 'protectedGroup',
			type: 'string',
			default: '',
			placeholder: 'e.g. Plek Admins',
			description:
				'A Plek group whose members no Plek node may deactivate, rename, change or remove from groups, and whose membership no Plek node changes. If the group does not exist in Plek, the changes it would guard are refused. Plek Sync adds its own Protected Group option to this one.',
		},
	];

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		const tokenHttp: TokenHttp = async (req) => {
			const response = (await this.helpers.httpRequest({
				method: req.method,
				url: req.url,
				headers: req.headers,
				body: req.body,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
			})) as { statusCode: number; body: unknown };
			return { status: response.statusCode, body: response.body };
		};
		return await plekPreAuthentication(tokenHttp, credentials as PlekCredentialData);
	}

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization:
					'={{"Bearer " + ($credentials.authentication === "accessToken" ? $credentials.accessToken : $credentials.sessionToken)}}',
			},
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.environmentUrl.trim().replace(/\\/+$/, "")}}',
			url: '={{"/" + ($credentials.scimBasePath || "/scim/v2").trim().replace(/^\\/+|\\/+$/g, "") + "/Users"}}',
			qs: { count: 1, attributes: 'id' },
			headers: { Accept: 'application/scim+json, application/json' },
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'Plek issued a token but its SCIM API rejected it (401). Check that the API client (or Access Token) is enabled for SCIM provisioning.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						'Plek accepted the credentials but the API client lacks permission to read users (403). Give it SCIM provisioning rights in Plek.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message:
						'Authenticated, but there is no SCIM API at that address (404). Check the Environment URL and the SCIM Base Path (default /scim/v2).',
				},
			},
		],
	};
}
