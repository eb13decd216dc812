/**
 * Step Functions on one machine: runs THE state machine definition (statemachine/lifecycle.asl.json,
 * the file the CDK stack deploys) with aws-local-stepfunctions, on a time scale so that days of
 * waiting pass in seconds.
 *
 * - Executions are named and idempotent like Standard ones: starting an existing name is a no-op
 *   (a different input gives ExecutionAlreadyExists, as in AWS).
 * - `lambda:invoke` Task states call in-process handlers (the very same handler functions that Lambda
 *   runs), keyed by the function ARN substituted into `${...}` placeholders, and return the service
 *   integration's shape (`{ StatusCode, Payload }`), so ResultSelector/OutputPath work as in AWS.
 * - Wait states are scaled: `Seconds`, `SecondsPath` (read from the execution input: the JSONPath subset
 *   `$.a.b`, valid for a Wait that the input reaches unchanged, as in our definition), `Timestamp(Path)`.
 */
import { readFileSync } from 'node:fs';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { repoPath } from '../paths.ts';

/** THE definition: the CDK stack loads this very file. */
export const STATE_MACHINE_FILE = repoPath('statemachine', 'lifecycle.asl.json');

export const LOCAL_ACCOUNT = '000000000000';
export const LOCAL_REGION = 'local';
/** The function ARN that the local runner substitutes for `${WorkflowStepFunctionArn}`. */
export const LOCAL_WORKFLOW_STEP_ARN = `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:gochat-workflow-step`;
export const LOCAL_STATE_MACHINE_ARN = `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stateMachine:gochat-lifecycle`;
/** The SLA clocks' definition (docs/reports.md): the stack deploys this file too. */
export const SLA_STATE_MACHINE_FILE = repoPath('statemachine', 'sla.asl.json');
export const LOCAL_SLA_STATE_MACHINE_ARN = `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stateMachine:gochat-sla`;

const MAX_TIMER_MS = 2 ** 31 - 1;

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';

export interface LocalEvent {
  type: string;
  timestamp: number;
  state?: { name: string; type: string };
  [other: string]: unknown;
}

export interface LocalExecution {
  name: string;
  executionArn: string;
  input: unknown;
  status: ExecutionStatus;
  startDate: Date;
  stopDate?: Date;
  output?: unknown;
  error?: string;
  /** The execution history, as aws-local-stepfunctions reports it. */
  events: LocalEvent[];
  /** Billable state transitions so far: one per state entered (retries included). */
  transitions: number;
  done: Promise<void>;
}

export type LambdaHandler = (payload: unknown) => Promise<unknown>;

export interface LocalStepFunctionsOptions {
  /** The definition; defaults to statemachine/lifecycle.asl.json, the file the stack deploys. */
  definition?: StateMachineDefinition | string;
  stateMachineArn?: string;
  /** `${Name}` placeholders → values (DefinitionSubstitutions); defaults WorkflowStepFunctionArn. */
  substitutions?: Record<string, string>;
  /** Function ARN → the handler that Lambda would run. */
  functions: Record<string, LambdaHandler>;
  /** Simulated seconds per real second: 86_400 makes a day pass in one second. Default 1. */
  timeScale?: number;
  onEvent?: (execution: LocalExecution, event: LocalEvent) => void;
}

export class ExecutionAlreadyExistsError extends Error {
  override name = 'ExecutionAlreadyExists';
}

/** Loads the definition with its `${...}` placeholders replaced, as CloudFormation's DefinitionSubstitutions do. */
export function loadDefinition(
  source: StateMachineDefinition | string | undefined,
  substitutions: Record<string, string>,
): StateMachineDefinition {
  const text = typeof source === 'object' ? JSON.stringify(source) : readFileSync(source ?? STATE_MACHINE_FILE, 'utf8');
  const replaced = text.replace(/\$\{([A-Za-z0-9_]+)\}/g, (whole, name: string) =>
    name in substitutions ? substitutions[name] : whole,
  );
  return JSON.parse(replaced) as StateMachineDefinition;
}

export class LocalStepFunctions {
  readonly stateMachineArn: string;
  private readonly definition: StateMachineDefinition;
  private readonly machine: StateMachine;
  private readonly timeScale: number;
  private readonly runs = new Map<string, LocalExecution & { abort: () => void }>();

  constructor(private readonly opts: LocalStepFunctionsOptions) {
    this.stateMachineArn = opts.stateMachineArn ?? LOCAL_STATE_MACHINE_ARN;
    this.timeScale = opts.timeScale ?? 1;
    if (!(this.timeScale > 0)) throw new Error('timeScale must be positive');
    this.definition = loadDefinition(opts.definition, {
      WorkflowStepFunctionArn: LOCAL_WORKFLOW_STEP_ARN,
      ...opts.substitutions,
    });
    this.machine = new StateMachine(this.definition, { validationOptions: { checkArn: true, checkPaths: true } });
  }

  executionArn(name: string): string {
    const parts = this.stateMachineArn.split(':');
    return [...parts.slice(0, 5), 'execution', parts[6], name].join(':');
  }

  /** StartExecution: idempotent by name, like a Standard workflow. */
  start(name: string, input: unknown): LocalExecution {
    const existing = this.runs.get(name);
    if (existing) {
      if (JSON.stringify(existing.input) !== JSON.stringify(input) || existing.status !== 'RUNNING')
        throw new ExecutionAlreadyExistsError(`Execution Already Exists: '${existing.executionArn}'`);
      return existing;
    }
    const run = this.machine.run(input as never, {
      noThrowOnAbort: true,
      overrides: {
        taskResourceLocalHandlers: this.taskHandlers(),
        waitTimeOverrides: this.waitOverrides(input),
        retryIntervalOverrides: this.retryOverrides(),
      },
      context: { Execution: { Id: this.executionArn(name), Name: name } },
    });
    const execution: LocalExecution & { abort: () => void } = {
      name,
      executionArn: this.executionArn(name),
      input,
      status: 'RUNNING',
      startDate: new Date(),
      events: [],
      transitions: 0,
      abort: run.abort,
      done: Promise.resolve(),
    };
    this.runs.set(name, execution);
    const collect = (async () => {
      for await (const event of run.eventLogs) {
        const e = event as unknown as LocalEvent;
        execution.events.push(e);
        if (e.type === 'StateEntered') execution.transitions++;
        this.opts.onEvent?.(execution, e);
      }
    })();
    execution.done = run.result
      .then(
        (output) => {
          if (execution.status === 'RUNNING') {
            execution.status = 'SUCCEEDED';
            execution.output = output;
          }
        },
        (e: Error) => {
          if (execution.status === 'RUNNING') {
            execution.status = 'FAILED';
            execution.error = String((e as { cause?: unknown }).cause ?? e.message);
          }
        },
      )
      .finally(async () => {
        execution.stopDate ??= new Date();
        await Promise.race([collect, new Promise((r) => setTimeout(r, 50))]);
      });
    return execution;
  }

  /** StopExecution: aborts a running execution; false when it is unknown or already finished. */
  stop(nameOrArn: string): boolean {
    const execution = this.runs.get(this.nameOf(nameOrArn));
    if (execution?.status !== 'RUNNING') return false;
    execution.status = 'ABORTED';
    execution.stopDate = new Date();
    execution.abort();
    return true;
  }

  describe(nameOrArn: string): LocalExecution | undefined {
    return this.runs.get(this.nameOf(nameOrArn));
  }

  list(): LocalExecution[] {
    return [...this.runs.values()];
  }

  running(): LocalExecution[] {
    return this.list().filter((e) => e.status === 'RUNNING');
  }

  /** Resolves once no execution is running (new ones started meanwhile are awaited too). */
  async idle(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const running = this.list().filter((e) => e.status === 'RUNNING');
      if (running.length === 0) return;
      if (Date.now() > deadline) throw new Error(`executions still running: ${running.map((e) => e.name).join(', ')}`);
      await Promise.race([Promise.all(running.map((e) => e.done)), new Promise((r) => setTimeout(r, 100))]);
    }
  }

  /** Aborts everything (shutdown). */
  close(): void {
    for (const e of this.running()) this.stop(e.name);
  }

  private nameOf(nameOrArn: string): string {
    return nameOrArn.startsWith('arn:') ? nameOrArn.slice(nameOrArn.lastIndexOf(':') + 1) : nameOrArn;
  }

  private taskHandlers() {
    const handlers: Record<string, (input: unknown) => Promise<unknown>> = {};
    for (const [stateName, state] of Object.entries(this.definition.States)) {
      if (state.Type !== 'Task') continue;
      if (state.Resource.startsWith('arn:aws:states:::lambda:invoke')) {
        // The service integration: Parameters give { FunctionName, Payload }; it returns { StatusCode, Payload }.
        handlers[stateName] = async (input) => {
          const { FunctionName, Payload } = input as { FunctionName: string; Payload: unknown };
          return { StatusCode: 200, ExecutedVersion: '$LATEST', Payload: await this.invoke(FunctionName, Payload) };
        };
      } else if (state.Resource.startsWith('arn:aws:lambda:')) {
        handlers[stateName] = (input) => this.invoke(state.Resource, input);
      }
    }
    return handlers as never;
  }

  private async invoke(functionArn: string, payload: unknown): Promise<unknown> {
    const handler = this.opts.functions[functionArn];
    if (!handler) throw new Error(`no local handler for ${functionArn}`);
    try {
      return await handler(payload);
    } catch (e) {
      // Lambda reports a function error with its type as the error name: `States.TaskFailed` matches it.
      const err = new Error((e as Error).message);
      err.name = (e as Error).name || 'Error';
      throw err;
    }
  }

  private waitOverrides(input: unknown): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [stateName, state] of Object.entries(this.definition.States)) {
      if (state.Type !== 'Wait') continue;
      let seconds: number | undefined;
      if (state.Seconds !== undefined) seconds = state.Seconds;
      else if (state.SecondsPath) seconds = Number(readPath(input, state.SecondsPath));
      else if (state.Timestamp) seconds = (Date.parse(state.Timestamp) - Date.now()) / 1000;
      else if (state.TimestampPath)
        seconds = (Date.parse(String(readPath(input, state.TimestampPath))) - Date.now()) / 1000;
      // setTimeout fires at once beyond 2^31-1 ms: clamp (24.8 real days is "forever" for a local run).
      if (seconds !== undefined && Number.isFinite(seconds))
        out[stateName] = Math.min(MAX_TIMER_MS, Math.max(0, Math.round((seconds * 1000) / this.timeScale)));
    }
    return out;
  }

  private retryOverrides(): Record<string, number[]> {
    const out: Record<string, number[]> = {};
    for (const [stateName, state] of Object.entries(this.definition.States)) {
      const retry = (state as { Retry?: Array<{ IntervalSeconds?: number }> }).Retry;
      if (retry) out[stateName] = retry.map((r) => Math.round(((r.IntervalSeconds ?? 1) * 1000) / this.timeScale));
    }
    return out;
  }
}

/** `$`, `$.a`, `$.a.b`: the JSONPath subset that a Wait's SecondsPath uses. */
function readPath(input: unknown, path: string): unknown {
  if (!path.startsWith('$')) throw new Error(`unsupported path ${path}`);
  let value: unknown = input;
  for (const part of path.slice(1).split('.').filter(Boolean)) value = (value as Record<string, unknown>)?.[part];
  return value;
}
