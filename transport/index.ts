/**
 * The Plek transport: the only code that knows Plek's URLs. SCIM 2.0 over OAuth2 client credentials (or a static
 * bearer token), paced and retried. Three parts: the sender (sender.ts: HTTP, authentication, redaction, pacing,
 * and the one retry policy of retry.ts), the SCIM API (scimApi.ts: paths, discovery, paging, Bulk) and the
 * per-run PlekDirectory (directory.ts: typed writes, the run's PATCH dialect and refusals). Nodes build a client
 * (all three) with `await createPlekClient(this)`.
 */
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { credentialSecrets, resolvePlekEndpoints } from './auth';
import type { PlekCredentialData } from './auth';
import { PlekScimClient } from './client';
import { cachedServiceProviderConfig } from './discoveryCache';
import type { DiscoveryStore } from './discoveryCache';
import { addSecret } from './errors';
import type { PlekScimClientOptions } from './client';
import { createN8nPlekHttp, PLEK_CREDENTIAL_TYPE } from './http';
import type { N8nHttpContext } from './http';

export {
	DEFAULT_SCIM_BASE_PATH,
	DEFAULT_TOKEN_PATH,
	PlekAuthError,
	assertPlekUrl,
	credentialSecrets,
	isLoopbackHost,
	plekPreAuthentication,
	requestClientCredentialsToken,
	resolvePlekEndpoints,
	unreachableMessage,
} from './auth';
export type { PlekAuthFailure, PlekAuthMode, PlekCredentialData, PlekEndpoints, PlekToken, TokenHttp } from './auth';
export { PlekScimClient } from './client';
export type { PlekScimClientOptions } from './client';
export { ScimSender } from './sender';
export type { Sent, SendOptions, SenderOptions } from './sender';
export { DEFAULT_RATE_LIMIT_BUDGET_MS, RESENDS, RETRYABLE_STATUSES, RetryPolicy } from './retry';
export type { RetryTuning, StopSignal } from './retry';
export { ScimApi } from './scimApi';
export type { ScimApiOptions, ScimListResponse } from './scimApi';
export { RunDirectory } from './directory';
export {
	PlekApiError,
	REDACTED,
	RETRYABLE_NETWORK_CODES,
	addSecret,
	SCIM_ERROR_SCHEMA,
	isRetryableNetworkError,
	networkErrorCode,
	parseScimError,
	plekErrorFromNetwork,
	plekErrorFromResponse,
	redact,
	toNodeApiError,
} from './errors';
export type { PlekApiErrorOptions } from './errors';
export { DISCOVERY_TTL_MS, cachedServiceProviderConfig, rememberDiscovery } from './discoveryCache';
export type { DiscoveryStore } from './discoveryCache';
export { filterEq, scimFilterValue } from './filter';
export { PLEK_CREDENTIAL_TYPE, PlekNetworkError, createN8nPlekHttp, responseFromError } from './http';
export type { N8nHttpContext, PlekHttp, PlekHttpMethod, PlekHttpRequest, PlekHttpResponse } from './http';
export { Limiter, backoffDelay, defaultSleep, parseRetryAfter } from './limiter';
export type { SleepFn } from './limiter';
export {
	BULK_REQUEST_SCHEMA,
	ENTERPRISE_USER_SCHEMA,
	GROUP_SCHEMA,
	LIST_RESPONSE_SCHEMA,
	PATCH_OP_SCHEMA,
	USER_SCHEMA,
	describeUserAttributes,
	isUserSchema,
} from './schemas';
export type { ScimSchema, ScimSchemaAttribute, UserAttributeDescription } from './schemas';

/** An n8n context that has the plekApi credential: IExecuteFunctions, ILoadOptionsFunctions, ... */
export interface PlekNodeContext extends N8nHttpContext {
	getCredentials(type: string, itemIndex?: number): Promise<ICredentialDataDecryptedObject>;
}

/** Everything of PlekScimClientOptions except the base URL (which comes from the credential). */
export type PlekClientOverrides = Partial<Omit<PlekScimClientOptions, 'scimBaseUrl'>> & {
	/** Discovery read by earlier runs (n8n workflow static data); see rememberDiscovery(). */
	discoveryStore?: DiscoveryStore;
};

/**
 * Builds a PlekScimClient for a node: reads the plekApi credential for the SCIM base URL (checking https /
 * loopback-http), and sends every request through n8n's httpRequestWithAuthentication. The credential's secrets
 * and every token n8n obtains for it (from the moment it exists) are redacted from every error the client throws.
 * Pass `overrides.secrets` to share that live list with the node's own error handling.
 */
export async function createPlekClient(
	ctx: PlekNodeContext,
	overrides: PlekClientOverrides = {},
): Promise<PlekScimClient> {
	const credentials = (await ctx.getCredentials(PLEK_CREDENTIAL_TYPE)) as PlekCredentialData;
	const secrets = overrides.secrets ?? [];
	for (const secret of credentialSecrets(credentials)) addSecret(secrets, secret);
	const { scimBaseUrl } = resolvePlekEndpoints(credentials);
	const watch = { credentials: credentials as ICredentialDataDecryptedObject, secrets };
	const { discoveryStore, ...options } = overrides;
	const serviceProviderConfig = discoveryStore ? cachedServiceProviderConfig(discoveryStore, scimBaseUrl) : undefined;
	return new PlekScimClient(createN8nPlekHttp(ctx, watch), { serviceProviderConfig, ...options, scimBaseUrl, secrets });
}
