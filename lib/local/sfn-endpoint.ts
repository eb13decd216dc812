/**
 * A Step Functions endpoint on loopback, in front of the local runner: it speaks the service's JSON
 * protocol (`X-Amz-Target: AWSStepFunctions.<Operation>`, application/x-amz-json-1.0) for
 * StartExecution, StopExecution and DescribeExecution, so the SAME SfnWorkflowStarter adapter that
 * runs in AWS works locally through AWS_ENDPOINT_URL_SFN.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { listenOnLoopback, readBody } from './net.ts';
import { ExecutionAlreadyExistsError, type LocalExecution, type LocalStepFunctions } from './stepfunctions-runner.ts';

export interface SfnEndpoint {
  endpoint: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

class ServiceError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

const epochSeconds = (d: Date | undefined) => (d ? d.getTime() / 1000 : undefined);

function describe(runner: LocalStepFunctions, e: LocalExecution) {
  return {
    executionArn: e.executionArn,
    stateMachineArn: runner.stateMachineArn,
    name: e.name,
    status: e.status,
    startDate: epochSeconds(e.startDate),
    ...(e.stopDate ? { stopDate: epochSeconds(e.stopDate) } : {}),
    input: JSON.stringify(e.input),
    ...(e.output !== undefined ? { output: JSON.stringify(e.output) } : {}),
    ...(e.error ? { error: 'States.TaskFailed', cause: e.error } : {}),
  };
}

function operate(runner: LocalStepFunctions, operation: string, body: Record<string, unknown>): unknown {
  switch (operation) {
    case 'StartExecution': {
      if (body.stateMachineArn !== runner.stateMachineArn)
        throw new ServiceError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${body.stateMachineArn}'`);
      const name = typeof body.name === 'string' && body.name ? body.name : crypto.randomUUID();
      const input = typeof body.input === 'string' ? JSON.parse(body.input) : {};
      try {
        const e = runner.start(name, input);
        return { executionArn: e.executionArn, startDate: epochSeconds(e.startDate) };
      } catch (e) {
        if (e instanceof ExecutionAlreadyExistsError) throw new ServiceError('ExecutionAlreadyExists', e.message);
        throw e;
      }
    }
    case 'StopExecution': {
      const arn = String(body.executionArn ?? '');
      if (!runner.describe(arn)) throw new ServiceError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
      runner.stop(arn);
      return { stopDate: Date.now() / 1000 };
    }
    case 'DescribeExecution': {
      const e = runner.describe(String(body.executionArn ?? ''));
      if (!e) throw new ServiceError('ExecutionDoesNotExist', `Execution Does Not Exist: '${body.executionArn}'`);
      return describe(runner, e);
    }
    default:
      throw new ServiceError('UnknownOperationException', `operation ${operation} is not supported locally`);
  }
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const text = (await readBody(req)).toString('utf8');
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

function send(res: ServerResponse, status: number, body: unknown, errorType?: string) {
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.0',
    ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
  });
  res.end(JSON.stringify(body));
}

/**
 * Serves `runner` on 127.0.0.1 (port 0: a free one), and the `others` (the SLA clocks' machine) on the same
 * endpoint: a request goes to the machine its state machine or execution ARN names.
 */
export async function startSfnEndpoint(
  runner: LocalStepFunctions,
  port = 0,
  others: LocalStepFunctions[] = [],
): Promise<SfnEndpoint> {
  const runnerFor = (body: Record<string, unknown>) =>
    others.find(
      (r) =>
        r.stateMachineArn === body.stateMachineArn ||
        (typeof body.executionArn === 'string' && r.describe(body.executionArn) !== undefined),
    ) ?? runner;
  const server = createServer(async (req, res) => {
    const target = String(req.headers['x-amz-target'] ?? '');
    const operation = target.startsWith('AWSStepFunctions.') ? target.slice('AWSStepFunctions.'.length) : '';
    try {
      const body = await readJson(req);
      send(res, 200, operate(runnerFor(body), operation, body));
    } catch (e) {
      if (e instanceof ServiceError) send(res, 400, { __type: e.type, message: e.message }, e.type);
      else send(res, 500, { __type: 'InternalFailure', message: (e as Error).message }, 'InternalFailure');
    }
  });
  const actual = await listenOnLoopback(server, port);
  return {
    endpoint: `http://127.0.0.1:${actual}`,
    port: actual,
    server,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
