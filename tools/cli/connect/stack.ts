import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { WiringError } from './context';

/** The output osls gives a function's URL: `nginx-rtmp` → `NginxDashrtmpLambdaFunctionUrl`. */
export function urlOutputName(provider: string): string {
  const normalized = provider.replace(/-/g, 'Dash').replace(/_/g, 'Underscore');
  return `${normalized[0]!.toUpperCase()}${normalized.slice(1)}LambdaFunctionUrl`;
}

/**
 * The provider's Function URL: `url` when given (`--url`), else the output of the deployed
 * stack `livehooks-<stage>` (osls names stacks `<service>-<stage>`), read with
 * CloudFormation DescribeStacks in the usual AWS region and credentials.
 */
export async function functionUrl(provider: string, stage: string, url?: string, stackName?: string): Promise<string> {
  if (url) {
    if (!/^https?:\/\//.test(url))
      throw new WiringError(`--url must be the function's URL (https://...), got "${url}"`, 2);
    return url;
  }
  const StackName = stackName ?? `livehooks-${stage}`;
  const outputName = urlOutputName(provider);
  let outputs;
  try {
    const { Stacks = [] } = await new CloudFormationClient({}).send(new DescribeStacksCommand({ StackName }));
    outputs = Stacks[0]?.Outputs ?? [];
  } catch (error) {
    const { name, message } = error as Error;
    if (name === 'ValidationError' && /does not exist/.test(message)) {
      throw new WiringError(
        `no stack ${StackName} in this region: deploy it (npx serverless deploy --stage ${stage}), set AWS_REGION to its region, or pass --url`,
      );
    }
    if (name === 'CredentialsProviderError' || /Could not load credentials|Region is missing/i.test(message)) {
      throw new WiringError(
        `no AWS credentials or region to read stack ${StackName}: set AWS_PROFILE (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY) and AWS_REGION, or pass --url`,
      );
    }
    if (/AccessDenied/.test(name)) {
      throw new WiringError(`AWS refused cloudformation:DescribeStacks on ${StackName}: allow it, or pass --url`);
    }
    throw new WiringError(`reading stack ${StackName} failed (${name}: ${message.split('\n')[0]}): pass --url`);
  }
  const value = outputs.find((output) => output.OutputKey === outputName)?.OutputValue;
  if (!value) throw new WiringError(`stack ${StackName} has no output ${outputName}: is ${provider} deployed there?`);
  return value;
}
