import { startStandIn, type StandIn } from './stand-in';

/**
 * A stand-in of CloudFormation's DescribeStacks (query protocol, XML answers), for the SDK
 * through AWS_ENDPOINT_URL_CLOUDFORMATION: the stacks it knows, by name, with their
 * outputs. The signature is checked for form only (SigV4 with this access key, service
 * cloudformation); the SSM stand-in recomputes SigV4 in full.
 */
export async function startCloudFormation(
  accessKeyId: string,
  stacks: Record<string, Record<string, string>>,
): Promise<StandIn> {
  const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const xmlError = (code: string, message: string) => ({
    status: 400,
    headers: { 'content-type': 'text/xml' },
    body: `<ErrorResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${escape(message)}</Message></Error><RequestId>req</RequestId></ErrorResponse>`,
  });
  return startStandIn(
    (request) =>
      new RegExp(
        `^AWS4-HMAC-SHA256 Credential=${accessKeyId}/\\d{8}/[^/]+/cloudformation/aws4_request, SignedHeaders=[^,]+, Signature=[0-9a-f]{64}$`,
      ).test(request.headers.authorization ?? '')
        ? undefined
        : 'no SigV4 authorization for cloudformation with this key',
    (why) => xmlError('InvalidClientTokenId', why),
    (request) => {
      const params = new URLSearchParams(request.body);
      if (params.get('Action') !== 'DescribeStacks')
        return xmlError('InvalidAction', `${params.get('Action')} is not served here`);
      const name = params.get('StackName') ?? '';
      const outputs = stacks[name];
      if (!outputs) return xmlError('ValidationError', `Stack with id ${name} does not exist`);
      const members = Object.entries(outputs)
        .map(
          ([key, value]) =>
            `<member><OutputKey>${escape(key)}</OutputKey><OutputValue>${escape(value)}</OutputValue></member>`,
        )
        .join('');
      return {
        status: 200,
        headers: { 'content-type': 'text/xml' },
        body: `<DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><DescribeStacksResult><Stacks><member><StackName>${escape(name)}</StackName><StackId>arn:aws:cloudformation:ap-southeast-1:123456789012:stack/${escape(name)}/1</StackId><StackStatus>UPDATE_COMPLETE</StackStatus><CreationTime>2026-12-01T00:00:00Z</CreationTime><Outputs>${members}</Outputs></member></Stacks></DescribeStacksResult><ResponseMetadata><RequestId>req</RequestId></ResponseMetadata></DescribeStacksResponse>`,
      };
    },
  );
}
