import type { FastifyInstance } from 'fastify';
import type { MonitorInput } from 'uet-tag-status';
import { describeValue } from 'uet-tag-status/engine';
import {
  type InputRecordResult,
  parseInputLine,
  parseInputRecord,
} from '../../records/inputRecord.js';
import { ServiceHttpError } from '../ServiceHttpError.js';
import type { IngestContext } from '../serviceContext.js';

/** One refused input of a `POST /inputs` batch. */
export interface RejectedRecord {
  /** The record's position in the batch (array index, or NDJSON record number from 0). */
  readonly index: number;
  /** The NDJSON line (from 1), for NDJSON bodies. */
  readonly line?: number;
  /** The field at fault, as a path (`tagId`, `goals[0].goalType`, `record`). */
  readonly field: string;
  readonly value?: string;
  readonly message: string;
}

interface ReadRecord {
  readonly index: number;
  readonly line?: number;
  readonly result: InputRecordResult;
}

/**
 * `POST /inputs`: a batch of input records (version 1), as NDJSON
 * (`application/x-ndjson`) or a JSON array (`application/json`). Good records are applied
 * in one group commit and the answer comes once they are durable:
 * `{"accepted": n, "rejected": [{index, line?, field, value?, message}]}`, 200; a record
 * that does not read or that the monitor refuses is listed and loses nothing else.
 */
export function registerInputsRoute(app: FastifyInstance, context: IngestContext): void {
  app.addContentTypeParser(
    ['application/x-ndjson', 'application/jsonl', 'application/x-jsonlines'],
    { parseAs: 'string' },
    (_request, body, done) => done(null, body),
  );
  app.post('/inputs', { config: { access: 'write' } }, async (request, reply) => {
    const records = readBody(request.body);
    const inputs: MonitorInput[] = [];
    const positions: ReadRecord[] = [];
    const rejected: RejectedRecord[] = [];
    for (const record of records) {
      if (record.result.ok) {
        inputs.push(record.result.record);
        positions.push(record);
        continue;
      }
      const issue = record.result.issues[0];
      rejected.push({
        index: record.index,
        ...(record.line === undefined ? {} : { line: record.line }),
        field: issue?.path ?? 'record',
        ...(issue?.value === undefined ? {} : { value: describeValue(issue.value) }),
        message: record.result.message,
      });
      context.metrics.inputs.inputRejected('inputs', 'invalidRecord');
    }
    const result = await context.sink.submit(inputs);
    for (const refused of result.rejected) {
      const position = positions[refused.index] as ReadRecord;
      rejected.push({
        index: position.index,
        ...(position.line === undefined ? {} : { line: position.line }),
        field: refused.error.field,
        ...(refused.error.value === undefined ? {} : { value: describeValue(refused.error.value) }),
        message: refused.error.message,
      });
      context.metrics.inputs.inputRejected('inputs', refused.error.code);
    }
    context.metrics.inputs.inputsAccepted('inputs', result.applied);
    rejected.sort((a, b) => a.index - b.index);
    return reply.code(200).send({ accepted: result.applied, rejected });
  });
  app.route({
    method: ['GET', 'PUT', 'DELETE', 'PATCH'],
    url: '/inputs',
    config: { access: 'write' },
    handler: async (_request, reply) => {
      reply.header('allow', 'POST');
      throw new ServiceHttpError(405, 'methodNotAllowed', '/inputs takes POST', 'method');
    },
  });
}

/** The records of a body: a parsed JSON array, or NDJSON text. */
function readBody(body: unknown): ReadRecord[] {
  if (typeof body === 'string') {
    const records: ReadRecord[] = [];
    const lines = body.split('\n');
    lines.forEach((text, number) => {
      const trimmed = text.endsWith('\r') ? text.slice(0, -1) : text;
      if (trimmed.trim() === '') return;
      records.push({ index: records.length, line: number + 1, result: parseInputLine(trimmed) });
    });
    if (records.length === 0) {
      throw new ServiceHttpError(
        400,
        'emptyBody',
        'expected at least one NDJSON input record',
        'body',
      );
    }
    return records;
  }
  if (!Array.isArray(body)) {
    throw new ServiceHttpError(
      400,
      'invalidBody',
      'expected a JSON array of input records, or NDJSON (content-type application/x-ndjson)',
      'body',
      body,
    );
  }
  if (body.length === 0) {
    throw new ServiceHttpError(400, 'emptyBody', 'expected at least one input record', 'body');
  }
  return body.map((value, index) => ({ index, result: parseInputRecord(value) }));
}
