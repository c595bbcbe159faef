-- <source>: a reader call
describe select * from {source}
