-- 分级分类监管: the risk class of a closed mine from the periodic comprehensive assessment (seed 001 §(七)):
-- A = highest safety assurance (安全保障程度高) … D = lowest (较低). Null: not assessed. Patrol intervals
-- are set by it (PatrolObligationOptions.IntervalByRiskClass): the lower the assurance, the more often.
ALTER TABLE closed_mine
    ADD COLUMN risk_class text CHECK (risk_class IN ('A', 'B', 'C', 'D'));
