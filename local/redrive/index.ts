export {
  RedriveError,
  type RedriveOutcome,
  type RedriveReport,
  redriveDeadLetters,
} from './redrive.ts';
