/**
 * URL of an outside service (PostgreSQL, Redis, MQTT…) for a services suite. Without it the
 * suite is skipped with a message — except under CI=true, where a missing URL is an error, so
 * CI can never pass having tested nothing.
 */
export function serviceUrl(
  name: string,
  env: Record<string, string | undefined> = process.env,
): string | undefined {
  const url = env[name]?.trim();
  if (url) return url;
  if (env.CI === 'true') {
    throw new Error(`${name} is not set, and CI=true requires every services suite to run`);
  }
  console.warn(`skipping the suite that needs ${name}: set it to run against a real service`);
  return undefined;
}
