import type { Config } from './config-schema.js';

/** I1: what a configuration of user tokens must hold together; one line per problem, as parseConfig reports them. */
export function identityProblems(identity: Config['identity']): string[] {
  const problems: string[] = [];
  const { secret, jwksUrl, issuer, audience, required } = identity;
  if (secret !== undefined && jwksUrl !== undefined) {
    problems.push('- identity: set secret (HS256) or jwksUrl (the site publishes its keys), not both');
  }
  if (jwksUrl !== undefined && (issuer === undefined || audience === undefined)) {
    problems.push("- identity: with jwksUrl, set issuer and audience too, so tokens minted for other services are refused");
  }
  if (required && secret === undefined && jwksUrl === undefined) {
    problems.push('- identity.required: no user could ever chat; set identity.secret or identity.jwksUrl');
  }
  return problems;
}
