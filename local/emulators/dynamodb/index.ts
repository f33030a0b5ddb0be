export {
  type DynamoDBResources,
  dynamodbFromStack,
  tableFromTerraform,
  ttlFromTerraform,
} from './from-stack.ts';
export { type LocalDynamoDB, startDynamoDB, type TableSpec } from './server.ts';
