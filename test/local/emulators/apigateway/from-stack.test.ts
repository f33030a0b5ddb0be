import { expect } from 'chai';
import { apiFromStack, LocalApiStackError } from '#local/emulators/apigateway';
import { SynthesizedStack } from '#local/synthesized-stack';

/** A Terraform reference, `${expression}`, as it appears in synthesized JSON. */
const ref = (expression: string) => ['$', '{', expression, '}'].join('');

/** A minimal synthesized stack holding an HTTP API with two routes, built fresh per call. */
function stackJson(): Record<string, unknown> {
  return {
    provider: { aws: [{ region: 'eu-west-1' }] },
    resource: {
      aws_apigatewayv2_api: {
        api: {
          name: 'x-api',
          protocol_type: 'HTTP',
          cors_configuration: { allow_origins: ['http://localhost:5173'] },
        },
      },
      aws_apigatewayv2_integration: {
        upload: {
          integration_uri: ref('aws_lambda_function.upload_fn.invoke_arn'),
          integration_type: 'AWS_PROXY',
        },
        get: { integration_uri: ref('aws_lambda_function.get_fn.invoke_arn'), integration_type: 'AWS_PROXY' },
      },
      aws_apigatewayv2_route: {
        upload: {
          route_key: 'POST /uploads',
          target: `integrations/${ref('aws_apigatewayv2_integration.upload.id')}`,
          authorization_type: 'JWT',
        },
        get: {
          route_key: 'GET /videos/{videoId}',
          target: `integrations/${ref('aws_apigatewayv2_integration.get.id')}`,
          authorization_type: 'JWT',
        },
      },
      aws_lambda_function: {
        upload_fn: { function_name: 'p-create-upload' },
        get_fn: { function_name: 'p-get-video' },
      },
    },
  };
}

describe('local/emulators/apigateway stack', () => {
  describe('apiFromStack', () => {
    it('reads each route with the physical name of the function its integration invokes', () => {
      const api = apiFromStack(new SynthesizedStack(stackJson(), '/tmp'));

      expect(api.allowedOrigins).to.deep.equal(['http://localhost:5173']);
      expect(api.routes).to.have.deep.members([
        { method: 'POST', path: '/uploads', functionName: 'p-create-upload' },
        { method: 'GET', path: '/videos/{videoId}', functionName: 'p-get-video' },
      ]);
    });

    it('refuses a route that is not behind the JWT authorizer', () => {
      const json = stackJson();
      const routes = (json.resource as Record<string, Record<string, Record<string, unknown>>>)
        .aws_apigatewayv2_route;
      if (routes?.get) routes.get.authorization_type = 'NONE';

      expect(() => apiFromStack(new SynthesizedStack(json, '/tmp'))).to.throw(
        LocalApiStackError,
        /JWT-authorized/,
      );
    });

    it('refuses a stack without an HTTP API', () => {
      expect(() => apiFromStack(new SynthesizedStack({ resource: {} }, '/tmp'))).to.throw(LocalApiStackError);
    });
  });
});
