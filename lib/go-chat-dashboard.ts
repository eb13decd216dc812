import { Duration } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { METRIC, METRICS_NAMESPACE } from '#adapters/metric-names.ts';

export interface GoChatDashboardProps {
  /** The functions, by the name the dashboard shows. */
  functions: Record<string, lambda.IFunction>;
  /** The alarms on the alarm topic, shown with their state at the top. */
  alarms: cloudwatch.IAlarm[];
  stateMachine: sfn.IStateMachine;
  restApi: apigw.RestApi;
  /** @default 'GoChat' */
  dashboardName?: string;
}

const PERIOD = Duration.minutes(5);

/**
 * The one page ops open: the alarms and their state, the product's metrics (mail ingested by outcome
 * and classification, duplicates, unroutable mail, reminders sent and skipped, failed sends; the
 * Lambdas write them as EMF, see functions/adapters/observability.ts), then the health of each function,
 * the lifecycle state machine and the API.
 */
export class GoChatDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: GoChatDashboardProps) {
    super(scope, id);
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName ?? 'GoChat',
      defaultInterval: Duration.days(1),
    });

    this.dashboard.addWidgets(
      new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: props.alarms, width: 24, height: 3 }),
    );
    this.dashboard.addWidgets(
      graph('Mail ingested, by outcome and classification', [
        // Every (outcome, classification) pair that occurred, each its own line, without listing them here.
        search(METRIC.mailIngested, ['classification', 'outcome', 'service'], 'MailIngested'),
      ]),
      graph('Duplicates and unroutable mail', [
        search(METRIC.duplicates, ['service'], 'Duplicates'),
        search(METRIC.unroutable, ['service'], 'Unroutable'),
      ]),
      graph('Reminders and failed sends', [
        search(METRIC.remindersSent, ['service'], 'RemindersSent'),
        search(METRIC.remindersSkipped, ['service'], 'RemindersSkipped'),
        search(METRIC.sendsFailed, ['service'], 'SendsFailed'),
      ]),
    );

    const fns = Object.entries(props.functions);
    this.dashboard.addWidgets(
      graph(
        'Lambda errors and throttles',
        fns.flatMap(([name, fn]) => [
          fn.metricErrors({ period: PERIOD, label: `${name} errors` }),
          fn.metricThrottles({ period: PERIOD, label: `${name} throttles` }),
        ]),
      ),
      graph(
        'Lambda duration (p99)',
        fns.map(([name, fn]) => fn.metricDuration({ period: PERIOD, statistic: 'p99', label: name })),
      ),
      graph(
        'Lambda concurrent executions',
        fns.map(([name, fn]) =>
          fn.metric('ConcurrentExecutions', { period: PERIOD, statistic: 'Maximum', label: name }),
        ),
      ),
    );
    this.dashboard.addWidgets(
      graph('Lifecycle executions', [
        props.stateMachine.metricStarted({ period: PERIOD, label: 'started' }),
        props.stateMachine.metricSucceeded({ period: PERIOD, label: 'succeeded' }),
        props.stateMachine.metricFailed({ period: PERIOD, label: 'failed' }),
        props.stateMachine.metricAborted({ period: PERIOD, label: 'stopped (superseded)' }),
      ]),
      graph('API requests and errors', [
        props.restApi.metricCount({ period: PERIOD, label: 'requests' }),
        props.restApi.metricClientError({ period: PERIOD, label: '4xx' }),
        props.restApi.metricServerError({ period: PERIOD, label: '5xx' }),
      ]),
      graph('API latency (p99)', [
        props.restApi.metricLatency({ period: PERIOD, statistic: 'p99', label: 'latency' }),
        props.restApi.metricIntegrationLatency({ period: PERIOD, statistic: 'p99', label: 'integration latency' }),
      ]),
    );
  }
}

function graph(title: string, left: cloudwatch.IMetric[]): cloudwatch.GraphWidget {
  return new cloudwatch.GraphWidget({ title, left, width: 8, height: 6 });
}

/** A CloudWatch SEARCH over one Go!Chat metric, summed per period, one line per dimension value. */
function search(metricName: string, dimensions: string[], id: string): cloudwatch.MathExpression {
  return new cloudwatch.MathExpression({
    expression: `SEARCH('{${METRICS_NAMESPACE},${dimensions.join(',')}} MetricName="${metricName}"', 'Sum', ${PERIOD.toSeconds()})`,
    usingMetrics: {},
    label: id,
    period: PERIOD,
  });
}
