-- The coordinate system a mining right's boundary was read in, and the datum transformation applied to it when the
-- licence was written in Xi'an 1980 or Beijing 1954 (name, parameters, area): an official can see how it was converted.
ALTER TABLE mining_right ADD COLUMN source_crs text;
